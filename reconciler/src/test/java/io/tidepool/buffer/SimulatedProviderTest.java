package io.tidepool.buffer;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidepool.api.quantity.Bytes;
import io.tidepool.api.quantity.MilliCpu;
import io.tidepool.api.resource.HostShape;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import org.junit.jupiter.api.Test;

class SimulatedProviderTest {
    static final Instant T0 = Instant.parse("2025-03-01T00:00:00Z");
    static final HostShape SHAPE = new HostShape(new MilliCpu(16_000), Bytes.ofGibibytes(64));
    static final Duration LATENCY = Duration.ofSeconds(90);

    @Test
    void provisionsAHostAfterItsLatencyAndReportsItOnce() {
        SimulatedProvider provider = new SimulatedProvider(SimulatedProvider.Settings.reliable(LATENCY));

        ProviderReply reply = provider.request("east", SHAPE, T0);

        assertThat(reply).isEqualTo(new ProviderReply.Accepted("sim-request-1"));
        assertThat(provider.poll(T0.plusSeconds(89))).isEmpty();
        assertThat(provider.poll(T0.plusSeconds(200))).containsExactly(
                new ProvisionOutcome.Provisioned("sim-request-1", "east", T0.plus(LATENCY), "east-sim-1", SHAPE));
        assertThat(provider.poll(T0.plusSeconds(300))).isEmpty();
        assertThat(provider.hosts()).containsExactly("east-sim-1");
    }

    @Test
    void refusesAtOnceDuringAnOutageAndFailsRequestsThatWouldCompleteInIt() {
        Outage outage = new Outage(T0.plusSeconds(60), T0.plusSeconds(600));
        SimulatedProvider provider = new SimulatedProvider(new SimulatedProvider.Settings(LATENCY, List.of(outage), 0, 1));

        ProviderReply before = provider.request("east", SHAPE, T0);
        ProviderReply during = provider.request("east", SHAPE, T0.plusSeconds(60));

        assertThat(during).isInstanceOf(ProviderReply.Refused.class);
        assertThat(((ProviderReply.Refused) during).reason()).contains("unreachable");
        assertThat(before).isInstanceOf(ProviderReply.Accepted.class);
        assertThat(provider.poll(T0.plusSeconds(120))).singleElement().isInstanceOf(ProvisionOutcome.Failed.class);
        assertThat(provider.release("east-sim-1", T0.plusSeconds(300))).isFalse();
        assertThat(provider.hosts()).isEmpty();
    }

    @Test
    void numbersHostsPerCellInTheOrderTheyAreMade() {
        SimulatedProvider provider = new SimulatedProvider(SimulatedProvider.Settings.reliable(LATENCY));
        provider.request("east", SHAPE, T0);
        provider.request("west", SHAPE, T0.plusSeconds(1));
        provider.request("east", SHAPE, T0.plusSeconds(2));

        List<String> names = provider.poll(T0.plusSeconds(100)).stream()
                .map(o -> ((ProvisionOutcome.Provisioned) o).host()).toList();

        assertThat(names).containsExactly("east-sim-1", "west-sim-1", "east-sim-2");
        assertThat(provider.release("west-sim-1", T0.plusSeconds(200))).isTrue();
        assertThat(provider.release("west-sim-1", T0.plusSeconds(201))).isTrue();
        assertThat(provider.hosts()).containsExactlyInAnyOrder("east-sim-1", "east-sim-2");
    }

    @Test
    void failsTheSameRequestsForTheSameSeed() {
        List<String> first = outcomesOf(new SimulatedProvider(new SimulatedProvider.Settings(LATENCY, List.of(), 0.5, 42)));
        List<String> again = outcomesOf(new SimulatedProvider(new SimulatedProvider.Settings(LATENCY, List.of(), 0.5, 42)));

        assertThat(again).isEqualTo(first);
        assertThat(first).contains("failed").anyMatch(s -> s.startsWith("east-sim-"));
    }

    @Property(tries = 200)
    void deliversExactlyTheHostsItAcknowledgedAndNoneDuringAnOutage(
            @ForAll("schedules") List<Integer> requestSeconds, @ForAll("outages") List<Outage> outages,
            @ForAll @DoubleRange(min = 0, max = 1) double failureRate, @ForAll long seed) {
        SimulatedProvider provider = new SimulatedProvider(new SimulatedProvider.Settings(LATENCY, outages, failureRate, seed));
        Set<String> acknowledged = new HashSet<>();
        List<ProvisionOutcome> outcomes = new ArrayList<>();
        for (int second : requestSeconds) {
            Instant now = T0.plusSeconds(second);
            outcomes.addAll(provider.poll(now));
            ProviderReply reply = provider.request(second % 3 == 0 ? "east" : "west", SHAPE, now);
            boolean down = outages.stream().anyMatch(o -> o.covers(now));
            assertThat(reply instanceof ProviderReply.Refused).isEqualTo(down);
            if (reply instanceof ProviderReply.Accepted accepted) {
                assertThat(acknowledged.add(accepted.requestId())).isTrue();
            }
        }
        outcomes.addAll(provider.poll(T0.plus(Duration.ofDays(1))));

        assertThat(outcomes).extracting(ProvisionOutcome::requestId).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(acknowledged);
        List<String> made = outcomes.stream().filter(o -> o instanceof ProvisionOutcome.Provisioned)
                .map(o -> ((ProvisionOutcome.Provisioned) o).host()).toList();
        assertThat(made).doesNotHaveDuplicates();
        assertThat(provider.hosts()).containsExactlyInAnyOrderElementsOf(made);
        assertThat(outcomes).filteredOn(o -> o instanceof ProvisionOutcome.Provisioned)
                .allSatisfy(o -> assertThat(outages).noneMatch(outage -> outage.covers(o.at())));
        assertThat(provider.requestsInFlight()).isZero();
    }

    @Property(tries = 100)
    void givesTheSameOutcomesHoweverOftenItIsPolled(@ForAll("schedules") List<Integer> requestSeconds,
            @ForAll("outages") List<Outage> outages, @ForAll long seed) {
        SimulatedProvider.Settings settings = new SimulatedProvider.Settings(LATENCY, outages, 0.3, seed);
        SimulatedProvider eager = new SimulatedProvider(settings);
        SimulatedProvider lazy = new SimulatedProvider(settings);
        Map<String, String> eagerOutcomes = new HashMap<>();
        for (int second : requestSeconds) {
            Instant now = T0.plusSeconds(second);
            eager.poll(now).forEach(o -> eagerOutcomes.put(o.requestId(), describe(o)));
            eager.request("east", SHAPE, now);
            lazy.request("east", SHAPE, now);
        }
        eager.poll(T0.plus(Duration.ofDays(1))).forEach(o -> eagerOutcomes.put(o.requestId(), describe(o)));
        Map<String, String> lazyOutcomes = new HashMap<>();
        lazy.poll(T0.plus(Duration.ofDays(1))).forEach(o -> lazyOutcomes.put(o.requestId(), describe(o)));

        assertThat(lazyOutcomes).isEqualTo(eagerOutcomes);
    }

    @Provide
    Arbitrary<List<Integer>> schedules() {
        return Arbitraries.integers().between(0, 3_600).list().ofMaxSize(40).map(list -> list.stream().sorted().toList());
    }

    @Provide
    Arbitrary<List<Outage>> outages() {
        return Combinators.combine(Arbitraries.integers().between(0, 3_600), Arbitraries.integers().between(1, 1_200))
                .as((from, length) -> new Outage(T0.plusSeconds(from), T0.plusSeconds(from + length)))
                .list().ofMaxSize(3);
    }

    private static List<String> outcomesOf(SimulatedProvider provider) {
        for (int i = 0; i < 20; i++) {
            provider.request("east", SHAPE, T0.plusSeconds(i));
        }
        return provider.poll(T0.plus(Duration.ofHours(1))).stream().map(SimulatedProviderTest::describe).toList();
    }

    private static String describe(ProvisionOutcome outcome) {
        return outcome instanceof ProvisionOutcome.Provisioned p ? p.host() : "failed";
    }
}
