package io.tidepool.sim.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkloadTest {
    static final Instant MIDNIGHT = Instant.parse("2025-03-01T00:00:00Z");
    static final Demand LOW = Demand.ofMebibytes(0.1, 100, 200);
    static final Demand HIGH = Demand.ofMebibytes(2.1, 2_100, 4_200);

    @Test
    void diurnalPeaksAtItsHourAndBottomsOutTwelveHoursLater() {
        Diurnal diurnal = new Diurnal(LOW, HIGH, Duration.ofHours(14));

        assertThat(diurnal.at(MIDNIGHT.plus(Duration.ofHours(14)))).isEqualTo(HIGH);
        assertThat(diurnal.at(MIDNIGHT.plus(Duration.ofHours(2)))).isEqualTo(LOW);
        assertThat(diurnal.at(MIDNIGHT.plus(Duration.ofHours(8))).cpus()).isCloseTo(1.1, within(1e-9));
        assertThat(diurnal.at(MIDNIGHT.plus(Duration.ofDays(3)).plus(Duration.ofHours(14)))).isEqualTo(HIGH);
    }

    @Test
    void spikesBurstAboutAsOftenAsAsked() {
        Spikes spikes = new Spikes(LOW, HIGH, Duration.ofMinutes(5), 2, 99);
        int bursts = 0;
        int buckets = 12 * 24 * 30;
        for (int i = 0; i < buckets; i++) {
            Instant t = MIDNIGHT.plus(Duration.ofMinutes(5L * i + 2));
            if (spikes.bursting(t)) {
                bursts++;
                assertThat(spikes.at(t)).isEqualTo(LOW.plus(HIGH));
            } else {
                assertThat(spikes.at(t)).isEqualTo(LOW);
            }
        }
        // Two bursts of 5 min an hour: a sixth of the buckets, here 1,440 of 8,640, give or take 5 sigma.
        assertThat(bursts).isBetween(1_440 - 175, 1_440 + 175);
    }

    @Test
    void aBurstLastsItsWholeBucket() {
        Spikes spikes = new Spikes(LOW, HIGH, Duration.ofMinutes(5), 6, 7);
        Instant bucket = MIDNIGHT;
        while (!spikes.bursting(bucket)) {
            bucket = bucket.plus(Duration.ofMinutes(5));
        }

        assertThat(spikes.bursting(bucket.plus(Duration.ofSeconds(299)))).isTrue();
    }

    @Test
    void memoryHungryJobRampsUpHoldsAndReleases() {
        MemoryHungry job = new MemoryHungry(LOW, 1.5, 8 * Demand.GIB, Duration.ofHours(4), Duration.ofMinutes(20),
                Duration.ofMinutes(10), Duration.ofHours(1));

        assertThat(job.at(MIDNIGHT.plus(Duration.ofMinutes(30)))).isEqualTo(LOW);
        assertThat(job.at(MIDNIGHT.plus(Duration.ofMinutes(70))).memoryBytes()).isEqualTo(LOW.memoryBytes() + 4 * Demand.GIB);
        assertThat(job.at(MIDNIGHT.plus(Duration.ofMinutes(85)))).isEqualTo(LOW.plus(new Demand(1.5, 8 * Demand.GIB, 0)));
        assertThat(job.at(MIDNIGHT.plus(Duration.ofMinutes(90)))).isEqualTo(LOW);
        assertThat(job.at(MIDNIGHT.plus(Duration.ofMinutes(85 + 240)))).isEqualTo(job.at(MIDNIGHT.plus(Duration.ofMinutes(85))));
    }

    @Test
    void slowGrowthRisesLinearlyFromItsStartUpToTheCeiling() {
        SlowGrowth growth = new SlowGrowth(LOW, Demand.ofMebibytes(0.5, 100, 0), MIDNIGHT, Demand.ofMebibytes(2, 1_000, 200));

        assertThat(growth.at(MIDNIGHT.minus(Duration.ofDays(1)))).isEqualTo(LOW);
        assertThat(growth.at(MIDNIGHT.plus(Duration.ofHours(2)))).isEqualTo(Demand.ofMebibytes(1.1, 300, 200));
        assertThat(growth.at(MIDNIGHT.plus(Duration.ofDays(36_500)))).isEqualTo(Demand.ofMebibytes(2, 1_000, 200));
    }

    @Test
    void theFleetIsMostlyIdleWithSomeDiurnalAndFewHeavy() {
        Workloads fleet = Workloads.mix(2025);
        Map<Class<?>, Integer> counts = new HashMap<>();
        int heavy = 0;
        for (int i = 0; i < 5_000; i++) {
            Workload workload = fleet.of("endpoint-" + i);
            counts.merge(workload.getClass(), 1, Integer::sum);
            if (workload instanceof Diurnal d && d.peak().cpus() >= 3) {
                heavy++;
            }
        }

        assertThat(counts.get(Idle.class)).isBetween(2_300, 2_700);
        assertThat(counts.get(Diurnal.class)).isBetween(1_000, 1_400);
        assertThat(counts).containsKeys(Spikes.class, MemoryHungry.class, SlowGrowth.class);
        assertThat(heavy).isBetween(450, 750);
    }

    @Test
    void anEndpointKeepsItsWorkloadWhateverElseIsInTheFleet() {
        assertThat(Workloads.mix(1).of("shop")).isEqualTo(Workloads.mix(1).of("shop"));
        assertThat(Workloads.mix(1).of("shop")).isNotEqualTo(Workloads.mix(2).of("shop"));
    }
}
