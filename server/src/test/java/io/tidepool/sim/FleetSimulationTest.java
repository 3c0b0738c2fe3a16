package io.tidepool.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidepool.api.quantity.Bytes;
import io.tidepool.api.quantity.Cu;
import io.tidepool.api.quantity.MilliCpu;
import io.tidepool.api.resource.Cell;
import io.tidepool.api.resource.Endpoint;
import io.tidepool.api.resource.HostShape;
import io.tidepool.api.resource.ObjectMeta;
import io.tidepool.api.resource.Resource;
import io.tidepool.reconcile.ManualClock;
import io.tidepool.registry.ResourceRegistry;
import io.tidepool.sim.workload.Workloads;
import io.tidepool.store.Op;
import io.tidepool.store.Txn;
import io.tidepool.store.memory.InMemoryStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

/**
 * Whole fleets on a manual clock, seeded by jqwik (a failure prints the seed; rerun with it to
 * replay): endpoints are placed, a host is killed and another cut off from the control plane, and
 * after every step memory is never overcommitted, sizes stay in bounds and no endpoint ever runs
 * two primaries.
 */
class FleetSimulationTest {
    private static final Instant START = Instant.parse("2026-01-05T00:00:00Z");
    private static final HostShape HOST = new HostShape(new MilliCpu(8_000), new Bytes(32L << 30));
    private static final SimFleet.Settings SETTINGS = SimFleet.Settings.DEFAULT;

    @Property(tries = 10)
    void aFleetKeepsItsInvariantsThroughAHostFailureAndAPartition(@ForAll @LongRange(min = 1, max = 1_000_000) long seed)
            throws Exception {
        Random random = new Random(seed);
        InMemoryStore store = new InMemoryStore();
        ManualClock clock = new ManualClock(START);
        ResourceRegistry registry = new ResourceRegistry(store);
        FleetInvariants invariants = new FleetInvariants(registry);
        int hostCount = 3 + random.nextInt(4);
        // Starting sizes fill at most half of the fleet, so one dead host still leaves room for everyone.
        long roomQuarters = hostCount * HOST.capacityCu().quarters() / 2;
        List<Resource> objects = new ArrayList<>();
        objects.add(cell());
        long used = 0;
        for (int i = 0; used < roomQuarters - 16 && i < 200; i++) {
            Endpoint endpoint = endpoint("db-" + i, random);
            used += endpoint.spec().compute().minCu().max(Cu.QUARTER).quarters();
            objects.add(endpoint);
        }
        store.txn(Txn.of(List.of(), objects.stream().map(r -> (Op) ResourceRegistry.putOp(r)).toList()));
        try (SimFleet fleet = new SimFleet(store, clock, Workloads.mix(seed, START)::of, SETTINGS)) {
            for (int h = 0; h < hostCount; h++) {
                fleet.addHost("c1", "host-" + h, HOST);
            }
            fleet.lead();
            Set<String> cutOff = new HashSet<>();
            fleet.afterAgentRound(() -> assertThat(invariants.atMostOnePrimary(fleet.agents(), cutOff))
                    .as("primaries, seed %d", seed).isEmpty());
            Runnable check = () -> {
                assertThat(invariants.noHostOvercommitted()).as("overcommit, seed %d", seed).isEmpty();
                assertThat(invariants.computesWithinBounds()).as("bounds, seed %d", seed).isEmpty();
                assertThat(invariants.onePrimaryPerEndpointInStore()).as("primaries in the store, seed %d", seed).isEmpty();
                assertThat(invariants.unplacedDespiteRoom()).as("placed whenever there is room, seed %d", seed).isEmpty();
            };
            for (int step = 0; step < 6; step++) {
                fleet.step();
                check.run();
            }
            assertThat(invariants.unplacedEndpoints()).as("placed after a minute, seed %d", seed).isEmpty();
            assertThat(invariants.notRunning()).as("running after a minute, seed %d", seed).isEmpty();

            String victim = "host-" + random.nextInt(hostCount);
            fleet.killHost(victim);
            Instant killedAt = clock.instant();
            Duration grace = SETTINGS.control().grace();
            // The control plane's part: one reconcile after the grace, every endpoint of the dead
            // host has a compute on a live one.
            while (clock.instant().isBefore(killedAt.plus(grace).plus(SETTINGS.tick()))) {
                fleet.step();
                check.run();
            }
            assertThat(invariants.computesByHost().getOrDefault(victim, List.of()))
                    .as("computes left on the dead host, seed %d", seed).isEmpty();
            assertThat(invariants.unplacedEndpoints()).as("placed again after the host died, seed %d", seed).isEmpty();
            // The new hosts' part: their next round starts the computes, the one after reports them
            // running (a simulated start takes startDelay, less than a round).
            for (int round = 0; round < 2; round++) {
                fleet.step();
                check.run();
            }
            assertThat(invariants.notRunning()).as("running again after the host died, seed %d", seed).isEmpty();

            String partitioned = fleet.agents().stream().map(a -> a.name()).filter(n -> !n.equals(victim)).findFirst().orElseThrow();
            fleet.link().cutOff(partitioned);
            cutOff.add(partitioned);
            Instant cutAt = clock.instant();
            while (clock.instant().isBefore(cutAt.plus(Duration.ofSeconds(90)))) {
                fleet.step();
                check.run();
                if (clock.instant().isAfter(cutAt.plus(SETTINGS.lease()).plus(SETTINGS.tick()))) {
                    assertThat(fleet.agents().stream().filter(a -> a.name().equals(partitioned)).findFirst().orElseThrow()
                            .driver().running()).as("a cut-off host stops its computes after its lease, seed %d", seed).isEmpty();
                }
            }
            fleet.link().reconnect(partitioned);
            cutOff.remove(partitioned);
            for (int step = 0; step < 6; step++) {
                fleet.step();
                check.run();
            }
            assertThat(invariants.unplacedEndpoints()).as("placed after the partition healed, seed %d", seed).isEmpty();
            assertThat(invariants.notRunning()).as("running after the partition healed, seed %d", seed).isEmpty();
        }
    }

    private static Cell cell() {
        return new Cell(ObjectMeta.named("c1"), new Cell.Spec(HOST, null, 0.9, 1.0, null, 20), null);
    }

    private static Endpoint endpoint(String name, Random random) {
        Cu min = Cu.ofQuarters(1 + random.nextInt(4));
        Cu max = min.plus(Cu.ofQuarters(random.nextInt(12)));
        return new Endpoint(ObjectMeta.named(name),
                new Endpoint.Spec("c1", new Endpoint.ComputeRange(min, max), null, null, null), null);
    }
}
