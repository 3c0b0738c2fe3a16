package io.tidepool.buffer;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidepool.api.quantity.Cu;
import io.tidepool.api.resource.Condition;
import io.tidepool.capacity.HostCapacity;
import io.tidepool.capacity.HostRoom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Builders;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

class BufferPolicyPropertiesTest {
    static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");

    @Property(tries = 500)
    void neverAsksForMoreHostsThanMaxHostsCountingThoseInFlight(@ForAll("inputs") BufferInput in) {
        BufferDecision decision = BufferPolicy.decide(in, NOW);

        if (decision.hostsToRequest() > 0) {
            assertThat(in.hosts().size() + in.requestsInFlight() + decision.hostsToRequest()).isLessThanOrEqualTo(in.maxHosts());
        }
    }

    @Property(tries = 500)
    void asksForTheFewestHostsThatReachTheTargetUnlessCapped(@ForAll("inputs") BufferInput in) {
        BufferDecision decision = BufferPolicy.decide(in, NOW);
        int n = decision.hostsToRequest();
        Statistics.label("requests").coverage(c -> c.check(true).percentage(p -> p > 5));
        Statistics.label("requests").collect(n > 0);
        if (n == 0) {
            return;
        }
        long perHost = in.newHostSpare().quarters();
        long promised = decision.spare().quarters() + coming(in);
        boolean capped = in.hosts().size() + in.requestsInFlight() + n == in.maxHosts();
        assertThat(promised + (n - 1) * perHost).isLessThan(in.spareTarget().quarters());
        if (!capped) {
            assertThat(promised + n * perHost).isGreaterThanOrEqualTo(in.spareTarget().quarters());
        }
    }

    @Property(tries = 500)
    void releasesOnlyHostsThatHaveBeenEmptyForTheCoolDown(@ForAll("inputs") BufferInput in) {
        BufferDecision decision = BufferPolicy.decide(in, NOW);
        Map<String, BufferHost> byName = in.hosts().stream().collect(Collectors.toMap(BufferHost::name, Function.identity()));

        for (String name : decision.hostsToRelease()) {
            BufferHost host = byName.get(name);
            assertThat(host.holdsCompute()).isFalse();
            assertThat(host.room().allocated()).isEqualTo(Cu.ZERO);
            assertThat(host.joining()).isFalse();
            assertThat(host.emptySince().plus(in.coolDown())).isBeforeOrEqualTo(NOW);
        }
    }

    @Property(tries = 500)
    void neverReleasesBelowTheTarget(@ForAll("inputs") BufferInput in) {
        BufferDecision decision = BufferPolicy.decide(in, NOW);
        Statistics.label("releases").collect(!decision.hostsToRelease().isEmpty());
        Statistics.label("releases").coverage(c -> c.check(true).percentage(p -> p > 0.3));
        if (decision.hostsToRelease().isEmpty()) {
            return;
        }
        long after = in.hosts().stream()
                .filter(h -> h.room().schedulable() && !h.joining() && !decision.hostsToRelease().contains(h.name()))
                .mapToLong(h -> h.room().freeBelowWatermark().quarters())
                .sum();
        assertThat(after).isGreaterThanOrEqualTo(in.spareTarget().quarters());
        assertThat(in.provider().failing()).isFalse();
        assertThat(in.requestsInFlight()).isZero();
    }

    @Property(tries = 500)
    void neverRequestsAndReleasesTogether(@ForAll("inputs") BufferInput in) {
        BufferDecision decision = BufferPolicy.decide(in, NOW);

        assertThat(decision.hostsToRequest() == 0 || decision.hostsToRelease().isEmpty()).isTrue();
    }

    @Property(tries = 1000)
    void asksNothingWhileBackingOffFromProviderFailures(@ForAll("inputs") BufferInput in) {
        BufferDecision decision = BufferPolicy.decide(in, NOW);
        ProviderHealth provider = in.provider();

        boolean backingOff = provider.failing()
                && NOW.isBefore(provider.lastFailure().plus(in.requestBackoff().after(provider.consecutiveFailures())));
        boolean stillShort = decision.spare().quarters() + coming(in) < in.spareTarget().quarters() && in.newHostSpare().quarters() > 0;
        Statistics.label("backing off while short").collect(backingOff && stillShort);
        Statistics.label("backing off while short").coverage(c -> c.check(true).percentage(p -> p > 0.3));
        if (backingOff) {
            assertThat(decision.hostsToRequest()).isZero();
        }
        if (backingOff && stillShort) {
            // It asks to be woken when the backoff ends, so the refill does not wait for another event.
            assertThat(decision.recheckAfter()).isPositive();
        }
    }

    @Property(tries = 300)
    void reportsTheBufferReadyExactlyWhenTheSpareReachesTheTarget(@ForAll("inputs") BufferInput in) {
        BufferDecision decision = BufferPolicy.decide(in, NOW);
        Condition ready = BufferPolicyTest.condition(decision, "BufferReady");

        boolean atTarget = decision.spare().compareTo(in.spareTarget()) >= 0;
        assertThat(ready.status()).isEqualTo(atTarget ? Condition.Status.True : Condition.Status.False);
        assertThat(decision.explanation()).startsWith("spare " + decision.spare() + "/" + in.spareTarget() + " CU: ");
    }

    @Property(tries = 200)
    void decidesTheSameWhateverTheOrderOfTheHosts(@ForAll("inputs") BufferInput in) {
        List<BufferHost> reversed = new ArrayList<>(in.hosts());
        Collections.reverse(reversed);
        BufferInput shuffled = new BufferInput(in.cell(), in.spareTarget(), in.maxHosts(), in.hostCapacity(), in.watermark(),
                reversed, in.requestsInFlight(), in.provider(), in.coolDown(), in.requestBackoff(), in.previousConditions());

        assertThat(BufferPolicy.decide(shuffled, NOW)).isEqualTo(BufferPolicy.decide(in, NOW));
    }

    private static long coming(BufferInput in) {
        long joining = in.hosts().stream().filter(BufferHost::joining).mapToLong(h -> h.room().freeBelowWatermark().quarters()).sum();
        return in.requestsInFlight() * in.newHostSpare().quarters() + joining;
    }

    @Provide
    Arbitrary<BufferInput> inputs() {
        Arbitrary<Long> capacityQuarters = Arbitraries.of(16L, 64L, 256L);
        Arbitrary<Double> watermarks = Arbitraries.of(0.5, 0.75, 0.9, 1.0);
        return Combinators.combine(capacityQuarters, watermarks).flatAs((capacity, watermark) -> Builders.withBuilder(() -> new Draft(capacity, watermark))
                .use(Arbitraries.longs().between(0, 400)).in((d, target) -> d.target(target))
                .use(Arbitraries.integers().between(0, 16)).in((d, max) -> d.maxHosts(max))
                .use(hosts(capacity, watermark)).in((d, hosts) -> d.hosts(hosts))
                .use(Arbitraries.integers().between(0, 4)).in((d, n) -> d.inFlight(n))
                .use(health()).in((d, health) -> d.provider(health))
                .use(Arbitraries.integers().between(0, 120)).in((d, minutes) -> d.coolDown(Duration.ofMinutes(minutes)))
                .build(Draft::input));
    }

    private Arbitrary<List<BufferHost>> hosts(long capacityQuarters, double watermark) {
        Cu capacity = Cu.ofQuarters(capacityQuarters);
        Cu mark = HostCapacity.watermark(capacity, watermark);
        Arbitrary<Long> allocated = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, Arbitraries.just(0L)),
                net.jqwik.api.Tuple.of(2, Arbitraries.longs().between(0, capacityQuarters)));
        return Combinators.combine(allocated, Arbitraries.of(true, true, true, false), Arbitraries.of(true, false),
                        Arbitraries.integers().between(0, 180), Arbitraries.of(false, false, false, true))
                .as((alloc, schedulable, holds, emptyMinutes, joining) -> new long[] {alloc, schedulable ? 1 : 0, holds ? 1 : 0, emptyMinutes, joining ? 1 : 0})
                .list().ofMaxSize(14)
                .map(rows -> {
                    List<BufferHost> hosts = new ArrayList<>();
                    for (int i = 0; i < rows.size(); i++) {
                        long[] r = rows.get(i);
                        boolean joining = r[4] == 1;
                        HostRoom room = new HostRoom("h" + i, capacity, Cu.ofQuarters(joining ? 0 : r[0]), mark, r[1] == 1 && !joining);
                        boolean holds = !joining && r[2] == 1;
                        hosts.add(new BufferHost(room, holds, holds ? null : NOW.minus(Duration.ofMinutes(r[3])), joining));
                    }
                    return hosts;
                });
    }

    private Arbitrary<ProviderHealth> health() {
        Arbitrary<ProviderHealth> failing = Combinators.combine(Arbitraries.integers().between(1, 12), Arbitraries.integers().between(0, 900))
                .as((failures, secondsAgo) -> new ProviderHealth(null, NOW.minusSeconds(secondsAgo), failures, "outage"));
        return Arbitraries.oneOf(Arbitraries.just(ProviderHealth.UNTRIED), failing);
    }

    /** A mutable draft for jqwik's builder; only tests use it. */
    private static final class Draft {
        final long capacityQuarters;
        final double watermark;
        long target;
        int maxHosts;
        List<BufferHost> hosts = List.of();
        int inFlight;
        ProviderHealth provider = ProviderHealth.UNTRIED;
        Duration coolDown = Duration.ZERO;

        Draft(long capacityQuarters, double watermark) {
            this.capacityQuarters = capacityQuarters;
            this.watermark = watermark;
        }

        Draft target(long quarters) { target = quarters; return this; }
        Draft maxHosts(int n) { maxHosts = n; return this; }
        Draft hosts(List<BufferHost> h) { hosts = h; return this; }
        Draft inFlight(int n) { inFlight = n; return this; }
        Draft provider(ProviderHealth p) { provider = p; return this; }
        Draft coolDown(Duration d) { coolDown = d; return this; }

        BufferInput input() {
            return new BufferInput("c", Cu.ofQuarters(target), maxHosts, Cu.ofQuarters(capacityQuarters), watermark, hosts,
                    inFlight, provider, coolDown, BufferInput.DEFAULT_REQUEST_BACKOFF, List.of());
        }
    }
}
