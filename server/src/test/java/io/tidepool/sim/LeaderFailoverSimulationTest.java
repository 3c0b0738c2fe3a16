package io.tidepool.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidepool.api.quantity.Bytes;
import io.tidepool.api.quantity.Cu;
import io.tidepool.api.quantity.MilliCpu;
import io.tidepool.api.resource.Cell;
import io.tidepool.api.resource.Endpoint;
import io.tidepool.api.resource.HostShape;
import io.tidepool.api.resource.Kind;
import io.tidepool.api.resource.ObjectMeta;
import io.tidepool.reconcile.ManualClock;
import io.tidepool.registry.ResourceKeys;
import io.tidepool.registry.ResourceRegistry;
import io.tidepool.sim.workload.Workloads;
import io.tidepool.store.KeyValue;
import io.tidepool.store.Op;
import io.tidepool.store.Store;
import io.tidepool.store.Txn;
import io.tidepool.store.ratis.RatisStore;
import io.tidepool.store.ratis.TestCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The control loop on a real 3-node Ratis store: the leader's node is killed in the middle of a
 * simulation. Every decision it had written is still there on the new leader, byte for byte at the
 * same revision, and the control loop of the new term (started with empty soft state) carries on:
 * it places endpoints added after the failover and moves the computes of a host that dies.
 */
@Timeout(300)
class LeaderFailoverSimulationTest {
    private static final Instant START = Instant.parse("2026-01-05T00:00:00Z");
    private static final HostShape HOST = new HostShape(new MilliCpu(8_000), new Bytes(32L << 30));

    @TempDir
    Path dir;

    @Test
    void theNewLeaderKeepsEveryDecisionAndCarriesOn() throws Exception {
        try (TestCluster cluster = TestCluster.start(3, dir, config -> config)) {
            RatisStore leader = cluster.awaitLeader();
            // Agents talk to a node that survives; the controllers to the leader's node, as in a server.
            RatisStore agentsNode = cluster.followers().get(0);
            ResourceRegistry registry = new ResourceRegistry(agentsNode);
            FleetInvariants invariants = new FleetInvariants(registry);
            write(leader, IntStream.range(0, 12).mapToObj(i -> endpoint("db-" + i)).toList());
            ManualClock clock = new ManualClock(START);
            try (SimFleet fleet = new SimFleet(agentsNode, clock, Workloads.mix(7, START)::of, SimFleet.Settings.DEFAULT)) {
                for (int h = 0; h < 4; h++) {
                    fleet.addHost("c1", "host-" + h, HOST);
                }
                fleet.afterAgentRound(() -> assertThat(invariants.atMostOnePrimary(fleet.agents(), Set.of())).isEmpty());
                fleet.lead(leader);
                for (int step = 0; step < 12; step++) {
                    fleet.step();
                    assertThat(invariants.noHostOvercommitted()).isEmpty();
                }
                assertThat(invariants.unplacedEndpoints()).isEmpty();

                Map<String, KeyValue> decided = everything(leader);
                fleet.loseLeadership();
                cluster.stopNode(leader.nodeId());
                RatisStore next = cluster.awaitLeader();
                Map<String, KeyValue> kept = everything(next);
                assertThat(kept.keySet()).as("no object the old leader wrote is lost").containsAll(decided.keySet());
                decided.forEach((key, kv) -> {
                    assertThat(kept.get(key).modRevision()).as(key + " at the same revision").isEqualTo(kv.modRevision());
                    assertThat(kept.get(key).value()).as(key + " with the same value").isEqualTo(kv.value());
                });

                fleet.lead(next);
                write(next, IntStream.range(12, 16).mapToObj(i -> endpoint("db-" + i)).toList());
                fleet.killHost("host-0");
                Instant killedAt = clock.instant();
                while (clock.instant().isBefore(killedAt.plus(SimFleet.Settings.DEFAULT.control().grace()).plus(Duration.ofSeconds(40)))) {
                    fleet.step();
                    assertThat(invariants.noHostOvercommitted()).isEmpty();
                    assertThat(invariants.computesWithinBounds()).isEmpty();
                    assertThat(invariants.onePrimaryPerEndpointInStore()).isEmpty();
                }
                assertThat(invariants.computesByHost().getOrDefault("host-0", List.of())).isEmpty();
                assertThat(invariants.unplacedEndpoints()).as("placed by the new leader").isEmpty();
                assertThat(invariants.notRunning()).as("running under the new leader").isEmpty();
            }
        }
    }

    private static void write(Store store, List<Endpoint> endpoints) {
        List<Op> ops = new ArrayList<>();
        ops.add(ResourceRegistry.putOp(new Cell(ObjectMeta.named("c1"), new Cell.Spec(HOST, null, 0.9, 1.0, null, 10), null)));
        endpoints.forEach(e -> ops.add(ResourceRegistry.putOp(e)));
        if (store.get(ResourceKeys.key(Kind.CELL, "c1")).isPresent()) {
            ops.remove(0);
        }
        assertThat(store.txn(Txn.of(List.of(), ops)).succeeded()).isTrue();
    }

    private static Endpoint endpoint(String name) {
        return new Endpoint(ObjectMeta.named(name), new Endpoint.Spec("c1",
                new Endpoint.ComputeRange(Cu.QUARTER, Cu.ofWhole(2)), null, null, null), null);
    }

    private static Map<String, KeyValue> everything(Store store) {
        Map<String, KeyValue> byKey = new HashMap<>();
        store.range(ResourceKeys.ROOT, null, 0).items().forEach(kv -> byKey.put(kv.key(), kv));
        return byKey;
    }
}
