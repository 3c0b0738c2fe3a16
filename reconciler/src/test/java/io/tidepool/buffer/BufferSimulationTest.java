package io.tidepool.buffer;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidepool.api.quantity.Bytes;
import io.tidepool.api.quantity.Cu;
import io.tidepool.api.quantity.MilliCpu;
import io.tidepool.api.resource.Condition;
import io.tidepool.api.resource.HostShape;
import io.tidepool.capacity.HostCapacity;
import io.tidepool.capacity.HostRoom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The buffer decision and the simulated provider in a closed loop with a manual clock, as the
 * buffer reconciler will run them: computes come and go, the provider has outages, and the
 * invariants are checked after every step.
 */
class BufferSimulationTest {
    static final Instant T0 = Instant.parse("2025-03-01T00:00:00Z");
    static final HostShape TEMPLATE = new HostShape(new MilliCpu(16_000), Bytes.ofGibibytes(64));
    static final Duration STEP = Duration.ofSeconds(10);

    @Test
    void startsFromTheBufferThroughAnOutageAndRefillsAfterIt() {
        Outage outage = new Outage(T0.plus(Duration.ofHours(1)), T0.plus(Duration.ofHours(3)));
        Cell cell = new Cell(new SimulatedProvider(new SimulatedProvider.Settings(Duration.ofMinutes(2), List.of(outage), 0, 1)),
                Cu.ofWhole(36), 20, 7);

        cell.runUntil(outage.from(), 0);
        assertThat(cell.spare()).isGreaterThanOrEqualTo(Cu.ofWhole(36));
        int attemptsBefore = cell.attempts;

        Cu placedDuringOutage = cell.placed;
        cell.runUntil(outage.until(), 60);
        // 720 steps of 10 s in the outage; the backoff (10 s doubling to 10 min) allows about 20 requests.
        assertThat(cell.attempts - attemptsBefore).isBetween(1, 25);
        assertThat(cell.placed.minus(placedDuringOutage)).isGreaterThan(Cu.ZERO);
        assertThat(cell.unplaced).isZero();
        assertThat(cell.condition("BufferReady").status()).isEqualTo(Condition.Status.False);
        assertThat(cell.condition("ProviderReady").reason()).isEqualTo("ProviderFailing");

        cell.runUntil(outage.until().plus(Duration.ofMinutes(30)), 0);
        assertThat(cell.spare()).isGreaterThanOrEqualTo(Cu.ofWhole(36));
        assertThat(cell.condition("BufferReady").status()).isEqualTo(Condition.Status.True);
        assertThat(cell.condition("ProviderReady").status()).isEqualTo(Condition.Status.True);
    }

    @Test
    void givesBackEmptyHostsOnceTheLoadIsGone() {
        Cell cell = new Cell(new SimulatedProvider(SimulatedProvider.Settings.reliable(Duration.ofMinutes(2))), Cu.ofWhole(24), 20, 3);
        cell.runUntil(T0.plus(Duration.ofHours(2)), 30);
        int peak = cell.hosts.size();

        cell.freeEverything(T0.plus(Duration.ofHours(2)));
        cell.runUntil(T0.plus(Duration.ofHours(4)), 0);

        assertThat(peak).isGreaterThan(2);
        // 24 CU at 12 CU below the watermark per host: two empty hosts remain.
        assertThat(cell.hosts).hasSize(2);
        assertThat(cell.spare()).isEqualTo(Cu.ofWhole(24));
    }

    @Property(tries = 30)
    void keepsItsInvariantsThroughOutagesAndFailures(@ForAll @IntRange(min = 0, max = 1_000) int seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Outage> outages = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Instant from = T0.plusSeconds(random.nextInt(4 * 3600));
            outages.add(new Outage(from, from.plusSeconds(60 + random.nextInt(3 * 3600))));
        }
        SimulatedProvider provider = new SimulatedProvider(new SimulatedProvider.Settings(
                Duration.ofSeconds(30 + random.nextInt(600)), outages, random.nextDouble() * 0.3, seed));
        Cell cell = new Cell(provider, Cu.ofQuarters(random.nextInt(200)), 1 + random.nextInt(12), seed);

        cell.runUntil(T0.plus(Duration.ofHours(6)), random.nextInt(60));
    }

    /** One cell: its hosts as a ledger of CU, the reconciler's bookkeeping, and the checks. */
    private static final class Cell {
        final SimulatedProvider provider;
        final Cu target;
        final int maxHosts;
        final SplittableRandom random;
        final Cu capacity = HostCapacity.capacity(TEMPLATE, 1.0);
        final Map<String, Cu> hosts = new TreeMap<>();
        final Map<String, Instant> emptySince = new TreeMap<>();
        final Set<String> inFlight = new HashSet<>();
        ProviderHealth health = ProviderHealth.UNTRIED;
        List<Condition> conditions = List.of();
        Instant now = T0;
        Cu placed = Cu.ZERO;
        int unplaced;
        int attempts;

        Cell(SimulatedProvider provider, Cu target, int maxHosts, long seed) {
            this.provider = provider;
            this.target = target;
            this.maxHosts = maxHosts;
            this.random = new SplittableRandom(seed);
        }

        /** Runs in steps of 10 s; with {@code placeOneIn > 0} a compute is placed on one step in that many. */
        void runUntil(Instant end, int placeOneIn) {
            while (now.isBefore(end)) {
                now = now.plus(STEP);
                collect();
                if (placeOneIn > 0 && random.nextInt(placeOneIn) == 0) {
                    place(Cu.ofQuarters(1 + random.nextInt(8)));
                }
                act(BufferPolicy.decide(input(), now));
                assertThat(hosts.size() + inFlight.size()).isLessThanOrEqualTo(maxHosts);
                assertThat(provider.hosts()).isEqualTo(hosts.keySet());
                assertThat(provider.requestsInFlight()).isEqualTo(inFlight.size());
            }
        }

        void collect() {
            for (ProvisionOutcome outcome : provider.poll(now)) {
                assertThat(inFlight.remove(outcome.requestId())).isTrue();
                if (outcome instanceof ProvisionOutcome.Provisioned made) {
                    assertThat(hosts.put(made.host(), Cu.ZERO)).isNull();
                    emptySince.put(made.host(), now);
                    health = health.afterSuccess(made.at());
                } else if (outcome instanceof ProvisionOutcome.Failed failed) {
                    health = health.afterFailure(failed.at(), failed.reason());
                }
            }
        }

        void act(BufferDecision decision) {
            conditions = decision.conditions();
            if (decision.hostsToRequest() > 0 && health.failing()) {
                assertThat(now).isAfterOrEqualTo(health.lastFailure().plus(BufferInput.DEFAULT_REQUEST_BACKOFF.after(health.consecutiveFailures())));
            }
            for (int i = 0; i < decision.hostsToRequest(); i++) {
                attempts++;
                ProviderReply reply = provider.request("c", TEMPLATE, now);
                if (reply instanceof ProviderReply.Refused refused) {
                    health = health.afterFailure(now, refused.reason());
                    break;
                }
                inFlight.add(((ProviderReply.Accepted) reply).requestId());
            }
            for (String host : decision.hostsToRelease()) {
                assertThat(hosts.get(host)).isEqualTo(Cu.ZERO);
                if (provider.release(host, now)) {
                    hosts.remove(host);
                    emptySince.remove(host);
                }
            }
        }

        /** First fit below the watermark, else anywhere it fits: a stand-in for placement. */
        void place(Cu cu) {
            String chosen = hosts.entrySet().stream().filter(e -> room(e.getKey()).freeBelowWatermark().compareTo(cu) >= 0)
                    .map(Map.Entry::getKey).findFirst().orElse(null);
            if (chosen == null) {
                unplaced++;
                return;
            }
            hosts.merge(chosen, cu, Cu::plus);
            emptySince.remove(chosen);
            placed = placed.plus(cu);
        }

        void freeEverything(Instant at) {
            hosts.replaceAll((name, cu) -> Cu.ZERO);
            hosts.keySet().forEach(name -> emptySince.putIfAbsent(name, at));
        }

        HostRoom room(String host) {
            return new HostRoom(host, capacity, hosts.get(host), HostCapacity.watermark(capacity, 0.75), true);
        }

        Cu spare() {
            return BufferPolicy.spare(input());
        }

        Condition condition(String type) {
            return conditions.stream().filter(c -> c.type().equals(type)).findFirst().orElseThrow();
        }

        BufferInput input() {
            List<BufferHost> rooms = hosts.keySet().stream()
                    .map(h -> emptySince.containsKey(h) ? BufferHost.empty(room(h), emptySince.get(h)) : BufferHost.busy(room(h)))
                    .toList();
            return new BufferInput("c", target, maxHosts, capacity, 0.75, rooms, inFlight.size(), health,
                    Duration.ofMinutes(15), BufferInput.DEFAULT_REQUEST_BACKOFF, conditions);
        }
    }
}
