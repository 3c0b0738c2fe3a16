package io.tidepool.buffer;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidepool.api.quantity.Cu;
import io.tidepool.api.resource.Condition;
import io.tidepool.capacity.HostRoom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class BufferPolicyTest {
    static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");
    static final Duration COOL_DOWN = Duration.ofMinutes(10);

    @Test
    void requestsEnoughHostsToReachTheTargetCountingThoseInFlight() {
        // A new 16 CU host brings 12 CU below its 0.75 watermark; 4 spare + 12 in flight leaves 24 to find.
        BufferDecision decision = BufferPolicy.decide(input(cu(40), 10, List.of(busy("h1", 8)), 1, ProviderHealth.UNTRIED), NOW);

        assertThat(decision.hostsToRequest()).isEqualTo(2);
        assertThat(decision.explanation()).isEqualTo("spare 4/40 CU: requesting 2 hosts of 16 CU (1 in flight)");
        assertThat(condition(decision, "BufferReady").reason()).isEqualTo("BufferDepleted");
    }

    @Test
    void waitsForHostsInFlightRatherThanAskingAgain() {
        BufferDecision decision = BufferPolicy.decide(input(cu(12), 10, List.of(busy("h1", 8)), 1, ProviderHealth.UNTRIED), NOW);

        assertThat(decision.hostsToRequest()).isZero();
        assertThat(decision.explanation()).isEqualTo("spare 4/12 CU: waiting for 1 host in flight");
    }

    @Test
    void countsAJoiningHostAsOnItsWayAndAnUnreadyOneAsNoSpare() {
        HostRoom unready = new HostRoom("h2", cu(16), Cu.ZERO, cu(12), false);
        BufferDecision decision = BufferPolicy.decide(input(cu(12), 10,
                List.of(BufferHost.empty(unready, NOW), BufferHost.joining(room("h3", 0), NOW)), 0, ProviderHealth.UNTRIED), NOW);

        assertThat(decision.spare()).isEqualTo(Cu.ZERO);
        assertThat(decision.hostsToRequest()).isZero();
        assertThat(decision.explanation()).isEqualTo("spare 0/12 CU: waiting for 1 host (0 in flight, 1 joining)");
    }

    @Test
    void stopsAtMaxHostsAndSaysSo() {
        BufferDecision decision = BufferPolicy.decide(input(cu(60), 3, List.of(busy("h1", 12), busy("h2", 12)), 0, ProviderHealth.UNTRIED), NOW);

        assertThat(decision.hostsToRequest()).isEqualTo(1);
        assertThat(decision.explanation()).isEqualTo(
                "spare 0/60 CU: requesting 1 host of 16 CU, capped by maxHosts 3 (2 hosts, 0 in flight)");
        assertThat(condition(decision, "BufferReady").reason()).isEqualTo("AtMaxHosts");
    }

    @Test
    void backsOffExponentiallyWhileTheProviderFails() {
        // Backoff 10 s doubling: after 3 failures the next request waits 40 s from the last one.
        ProviderHealth failing = new ProviderHealth(null, NOW.minusSeconds(30), 3, "provider unreachable");

        BufferDecision waiting = BufferPolicy.decide(input(cu(12), 10, List.of(), 0, failing), NOW);
        BufferDecision retrying = BufferPolicy.decide(input(cu(12), 10, List.of(), 0, failing), NOW.plusSeconds(10));

        assertThat(waiting.hostsToRequest()).isZero();
        assertThat(waiting.recheckAfter()).isEqualTo(Duration.ofSeconds(10));
        assertThat(waiting.explanation()).isEqualTo(
                "spare 0/12 CU: provider failed 3 times in a row (provider unreachable), next request in 10s");
        assertThat(condition(waiting, "BufferReady").reason()).isEqualTo("ProviderFailing");
        assertThat(condition(waiting, "ProviderReady").status()).isEqualTo(Condition.Status.False);
        assertThat(retrying.hostsToRequest()).isEqualTo(1);
    }

    @Test
    void releasesHostsEmptyForTheCoolDownWhileTheSpareStaysAtTarget() {
        List<BufferHost> hosts = List.of(busy("busy", 4),
                BufferHost.empty(room("b", 0), NOW.minus(Duration.ofMinutes(20))),
                BufferHost.empty(room("a", 0), NOW.minus(Duration.ofMinutes(20))),
                BufferHost.empty(room("old", 0), NOW.minus(Duration.ofHours(1))),
                BufferHost.empty(room("fresh", 0), NOW.minus(Duration.ofMinutes(1))));

        BufferDecision decision = BufferPolicy.decide(input(cu(8), 10, hosts, 0, ProviderHealth.UNTRIED), NOW);

        // spare 8 + 4 x 12 = 56; the three cooled hosts go, longest empty first, leaving 20; "fresh"
        // could go too but is still cooling down, so the decision asks to be called again then.
        assertThat(decision.hostsToRelease()).containsExactly("old", "a", "b");
        assertThat(decision.explanation()).isEqualTo(
                "spare 56/8 CU: releasing 3 hosts empty for 10m or more: old, a, b; spare after 20 CU");
        assertThat(decision.recheckAfter()).isEqualTo(Duration.ofMinutes(9));
        assertThat(condition(decision, "BufferReady").status()).isEqualTo(Condition.Status.True);
    }

    @Test
    void keepsEmptyHostsWhileTheProviderFailsOrHostsAreOnTheirWay() {
        List<BufferHost> hosts = List.of(BufferHost.empty(room("a", 0), NOW.minus(Duration.ofHours(1))),
                BufferHost.empty(room("b", 0), NOW.minus(Duration.ofHours(1))));
        ProviderHealth failing = new ProviderHealth(null, NOW.minusSeconds(5), 1, "outage");

        assertThat(BufferPolicy.decide(input(cu(12), 10, hosts, 0, failing), NOW).hostsToRelease()).isEmpty();
        assertThat(BufferPolicy.decide(input(cu(12), 10, hosts, 1, ProviderHealth.UNTRIED), NOW).explanation())
                .isEqualTo("spare 24/12 CU: keeping empty hosts, 1 host in flight on the way");
    }

    @Test
    void neverReleasesAHostWhoseLedgerIsNotEmpty() {
        // The compute is gone but the ledger sync has not lowered the host's allocation yet.
        List<BufferHost> hosts = List.of(BufferHost.empty(room("a", 0), NOW.minus(Duration.ofHours(1))),
                new BufferHost(room("b", 2), false, NOW.minus(Duration.ofHours(1)), false));

        assertThat(BufferPolicy.decide(input(cu(4), 10, hosts, 0, ProviderHealth.UNTRIED), NOW).hostsToRelease())
                .containsExactly("a");
    }

    @Test
    void keepsTheTransitionTimeWhileTheStatusHolds() {
        Instant earlier = NOW.minus(Duration.ofHours(2));
        List<Condition> previous = List.of(
                new Condition("BufferReady", Condition.Status.False, "BufferDepleted", "old", earlier),
                new Condition("ProviderReady", Condition.Status.False, "ProviderFailing", "old", earlier));
        BufferInput depleted = new BufferInput("c", cu(40), 10, cu(16), 0.75, List.of(busy("h1", 8)), 0,
                ProviderHealth.UNTRIED, COOL_DOWN, BufferInput.DEFAULT_REQUEST_BACKOFF, previous);

        BufferDecision decision = BufferPolicy.decide(depleted, NOW);

        assertThat(condition(decision, "BufferReady").lastTransitionTime()).isEqualTo(earlier);
        assertThat(condition(decision, "ProviderReady").status()).isEqualTo(Condition.Status.True);
        assertThat(condition(decision, "ProviderReady").lastTransitionTime()).isEqualTo(NOW);
    }

    static BufferInput input(Cu target, int maxHosts, List<BufferHost> hosts, int inFlight, ProviderHealth provider) {
        return new BufferInput("c", target, maxHosts, cu(16), 0.75, hosts, inFlight, provider, COOL_DOWN,
                BufferInput.DEFAULT_REQUEST_BACKOFF, List.of());
    }

    static BufferHost busy(String name, long allocatedCu) {
        return BufferHost.busy(room(name, allocatedCu));
    }

    static HostRoom room(String name, long allocatedCu) {
        return new HostRoom(name, cu(16), cu(allocatedCu), cu(12), true);
    }

    static Condition condition(BufferDecision decision, String type) {
        return decision.conditions().stream().filter(c -> c.type().equals(type)).findFirst().orElseThrow();
    }

    static Cu cu(long whole) {
        return Cu.ofWhole(whole);
    }
}
