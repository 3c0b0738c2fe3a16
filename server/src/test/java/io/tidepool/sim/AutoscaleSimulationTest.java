package io.tidepool.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidepool.api.quantity.Bytes;
import io.tidepool.api.quantity.Cu;
import io.tidepool.api.quantity.MilliCpu;
import io.tidepool.api.resource.Cell;
import io.tidepool.api.resource.Compute;
import io.tidepool.api.resource.Endpoint;
import io.tidepool.api.resource.HostShape;
import io.tidepool.api.resource.Kind;
import io.tidepool.api.resource.ObjectMeta;
import io.tidepool.reconcile.ManualClock;
import io.tidepool.registry.ResourceRegistry;
import io.tidepool.sim.workload.Demand;
import io.tidepool.store.Op;
import io.tidepool.store.Txn;
import io.tidepool.store.memory.InMemoryStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One endpoint through the whole loop (metrics, autoscale, admission, host agent, ledger): it grows
 * at once under load, holds its size through the stabilisation window after the load is gone, then
 * shrinks, never below its minimum; and what it decided is written with its explanation.
 */
class AutoscaleSimulationTest {
    private static final Instant START = Instant.parse("2026-01-05T00:00:00Z");
    private static final Duration LOAD_ENDS = Duration.ofMinutes(10);

    @Test
    void anEndpointGrowsUnderLoadAndShrinksOnlyAfterTheStabilisationWindow() throws Exception {
        InMemoryStore store = new InMemoryStore();
        ManualClock clock = new ManualClock(START);
        ResourceRegistry registry = new ResourceRegistry(store);
        HostShape shape = new HostShape(new MilliCpu(8_000), new Bytes(32L << 30));
        Cell cell = new Cell(ObjectMeta.named("c1"), new Cell.Spec(shape, null, 0.9, 1.0, null, 5), null);
        Endpoint endpoint = new Endpoint(ObjectMeta.named("shop"), new Endpoint.Spec("c1",
                new Endpoint.ComputeRange(Cu.QUARTER, Cu.ofWhole(4)), null, null, null), null);
        store.txn(Txn.of(List.of(), List.<Op>of(ResourceRegistry.putOp(cell), ResourceRegistry.putOp(endpoint))));
        Instant loadEnds = START.plus(LOAD_ENDS);
        FleetInvariants invariants = new FleetInvariants(registry);
        try (SimFleet fleet = new SimFleet(store, clock, name -> t -> t.isBefore(loadEnds)
                ? Demand.ofMebibytes(3.0, 512, 256) : Demand.ofMebibytes(0.01, 512, 256), SimFleet.Settings.DEFAULT)) {
            fleet.addHost("c1", "host-0", shape);
            fleet.lead();
            List<Cu> sizes = new ArrayList<>();
            while (clock.instant().isBefore(START.plus(Duration.ofMinutes(30)))) {
                fleet.step();
                assertThat(invariants.noHostOvercommitted()).isEmpty();
                assertThat(invariants.computesWithinBounds()).isEmpty();
                sizes.add(primary(registry).map(c -> c.spec().cu()).orElse(Cu.ZERO));
            }
            // sizes.get(i) is the size after step i + 1, at START + (i + 1) ticks.
            int loadEndStep = (int) (LOAD_ENDS.toSeconds() / SimFleet.Settings.DEFAULT.tick().toSeconds()) - 1;
            int windowSteps = (int) (SimFleet.Settings.DEFAULT.control().scaling().stabilisationWindow().toSeconds()
                    / SimFleet.Settings.DEFAULT.tick().toSeconds());
            Cu peak = sizes.subList(0, loadEndStep).stream().max(Cu::compareTo).orElseThrow();
            // 3 vCPUs of load at 90%: 3.5 CU, reached once load1 has risen (a 1-minute average).
            assertThat(peak).isEqualTo(Cu.parse("3.5"));
            assertThat(sizes.subList(0, 30)).as("grown within five minutes").contains(Cu.parse("3.5"));
            assertThat(sizes.subList(loadEndStep, loadEndStep + windowSteps))
                    .as("no downscale inside the stabilisation window after the load ends").allMatch(peak::equals);
            assertThat(sizes.get(sizes.size() - 1)).as("shrunk to the minimum once idle").isEqualTo(Cu.QUARTER);
            Endpoint after = registry.get(Endpoint.class, Kind.ENDPOINT, "shop").orElseThrow();
            assertThat(after.status().lastDecision().explanation()).startsWith("downscale");
            assertThat(after.status().cu()).isEqualTo(Cu.QUARTER);
        }
    }

    private static java.util.Optional<Compute> primary(ResourceRegistry registry) {
        return registry.listAll(Kind.COMPUTE).stream().map(Compute.class::cast)
                .filter(c -> c.spec().role() == Compute.Role.primary).findFirst();
    }
}
