package io.tidepool.sim.workload;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidepool.api.agent.ComputeMetrics;
import io.tidepool.api.quantity.Cu;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

class WorkloadPropertiesTest {
    static final Instant T0 = Instant.parse("2025-03-01T00:00:00Z");

    @Property(tries = 100)
    void samplesTheSameForTheSameSeedInAnyOrder(@ForAll long seed, @ForAll("instants") List<Instant> times,
            @ForAll @IntRange(min = 1, max = 20) int endpoints, @ForAll long shuffleSeed) {
        Map<String, Demand> inOrder = new LinkedHashMap<>();
        Workloads first = Workloads.mix(seed, T0);
        for (int e = 0; e < endpoints; e++) {
            for (Instant t : times) {
                inOrder.put("e" + e + "@" + t, first.of("e" + e).at(t));
            }
        }
        List<String> keys = new ArrayList<>(inOrder.keySet());
        Collections.shuffle(keys, new Random(shuffleSeed));
        Workloads second = Workloads.mix(seed, T0);

        for (String key : keys) {
            String[] parts = key.split("@");
            assertThat(second.of(parts[0]).at(Instant.parse(parts[1]))).isEqualTo(inOrder.get(key));
        }
    }

    @Property(tries = 100)
    void reportsNothingNegativeAndNeverMoreMemoryThanAllocated(@ForAll long seed, @ForAll("ticks") List<Integer> tickSeconds,
            @ForAll("allocations") List<Integer> quarters) {
        Workload workload = Workloads.mix(seed, T0).of("endpoint");
        SimulatedUsage usage = new SimulatedUsage(workload, T0);
        Instant now = T0;
        for (int i = 0; i < tickSeconds.size(); i++) {
            now = now.plusSeconds(tickSeconds.get(i));
            Cu allocated = Cu.ofQuarters(quarters.get(i % quarters.size()));
            ComputeMetrics metrics = usage.tick(now, allocated);
            Demand demand = workload.at(now);

            assertThat(metrics.memoryUsedBytes()).isBetween(0L, allocated.memory().value());
            assertThat(metrics.cacheWorkingSetBytes()).isBetween(0L, allocated.memory().value() - metrics.memoryUsedBytes());
            assertThat(metrics.memoryUsedBytes() + usage.memoryShortfallBytes()).isEqualTo(demand.memoryBytes());
            assertThat(metrics.load1()).isGreaterThanOrEqualTo(0);
        }
    }

    @Property(tries = 200)
    void loadConvergesToAConstantDemand(@ForAll @DoubleRange(min = 0, max = 64) double cpus,
            @ForAll("ticks") List<Integer> warmUp, @ForAll @IntRange(min = 1, max = 120) int tickSeconds) {
        Instant switchAt = T0.plusSeconds(warmUp.stream().mapToLong(Integer::longValue).sum());
        Workload switching = t -> new Demand(t.isAfter(switchAt) ? cpus : 64 - cpus, 0, 0);
        SimulatedUsage usage = new SimulatedUsage(switching, T0);
        Instant now = T0;
        for (int s : warmUp) {
            now = now.plusSeconds(s);
            usage.tick(now, Cu.ofWhole(1));
        }
        // From here the demand is constant; whatever the load was (at most 64 away), 12 minutes leave exp(-12) of the gap.
        double load = 0;
        for (Instant end = switchAt.plus(Duration.ofMinutes(12)); now.isBefore(end); ) {
            now = now.plusSeconds(tickSeconds);
            load = usage.tick(now, Cu.ofWhole(1)).load1();
        }
        assertThat(Math.abs(load - cpus)).isLessThanOrEqualTo(64 * Math.exp(-12) + 1e-9);
    }

    @Property(tries = 200)
    void loadStaysWithinTheDemandItHasSeen(@ForAll long seed, @ForAll("ticks") List<Integer> tickSeconds) {
        Spikes spikes = new Spikes(new Demand(0.5, 0, 0), new Demand(3, 0, 0), Duration.ofMinutes(2), 4, seed);
        SimulatedUsage usage = new SimulatedUsage(spikes, T0);
        Instant now = T0;
        for (int s : tickSeconds) {
            now = now.plusSeconds(s);
            assertThat(usage.tick(now, Cu.ofWhole(2)).load1()).isBetween(0.0, 3.5 + 1e-9);
        }
    }

    @Property(tries = 200)
    void diurnalIsHighestAtItsPeakHourAndLowestTwelveHoursLater(@ForAll @IntRange(min = 0, max = 23) int peakHour,
            @ForAll @LongRange(min = 0, max = 3_650) long day, @ForAll @IntRange(min = 0, max = 86_399) int second) {
        Demand trough = Demand.ofMebibytes(0.2, 300, 500);
        Demand peak = Demand.ofMebibytes(4, 6_000, 9_000);
        Diurnal diurnal = new Diurnal(trough, peak, Duration.ofHours(peakHour));
        Instant midnight = T0.plus(Duration.ofDays(day));

        Demand any = diurnal.at(midnight.plusSeconds(second));
        assertThat(diurnal.at(midnight.plus(Duration.ofHours(peakHour)))).isEqualTo(peak);
        assertThat(diurnal.at(midnight.plus(Duration.ofHours(peakHour + 12)))).isEqualTo(trough);
        assertThat(any.cpus()).isBetween(trough.cpus(), peak.cpus());
        assertThat(any.memoryBytes()).isBetween(trough.memoryBytes(), peak.memoryBytes());
        assertThat(any.cacheBytes()).isBetween(trough.cacheBytes(), peak.cacheBytes());
    }

    @Provide
    Arbitrary<List<Instant>> instants() {
        return Arbitraries.longs().between(0, Duration.ofDays(30).toSeconds()).map(T0::plusSeconds).list().ofMinSize(1).ofMaxSize(30);
    }

    @Provide
    Arbitrary<List<Integer>> ticks() {
        return Arbitraries.integers().between(0, 7_200).list().ofMinSize(1).ofMaxSize(60);
    }

    @Provide
    Arbitrary<List<Integer>> allocations() {
        return Arbitraries.integers().between(0, 64).list().ofMinSize(1).ofMaxSize(10);
    }
}
