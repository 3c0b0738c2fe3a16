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
import io.tidepool.endpoint.ResumeRequest;
import io.tidepool.reconcile.ManualClock;
import io.tidepool.registry.ResourceRegistry;
import io.tidepool.registry.ResourceTxn;
import io.tidepool.sim.workload.Idle;
import io.tidepool.store.Op;
import io.tidepool.store.Txn;
import io.tidepool.store.memory.InMemoryStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An idle endpoint through suspend and resume on a manual clock: it suspends after suspendAfter,
 * a resume request places it again under a new epoch, and it then gets a whole suspendAfter of
 * its own before it suspends again, however long ago it was last active.
 */
class SuspendResumeSimulationTest {
    private static final Instant START = Instant.parse("2026-01-05T00:00:00Z");
    private static final Duration SUSPEND_AFTER = Duration.ofMinutes(1);
    private static final HostShape SHAPE = new HostShape(new MilliCpu(8_000), new Bytes(32L << 30));

    @Test
    void aResumedEndpointRunsAWholeSuspendAfterBeforeItSuspendsAgain() throws Exception {
        InMemoryStore store = new InMemoryStore();
        ManualClock clock = new ManualClock(START);
        ResourceRegistry registry = new ResourceRegistry(store);
        store.txn(Txn.of(List.of(), List.<Op>of(
                ResourceRegistry.putOp(new Cell(ObjectMeta.named("c1"), new Cell.Spec(SHAPE, null, 0.9, 1.0, null, 5), null)),
                ResourceRegistry.putOp(new Endpoint(ObjectMeta.named("shop"), new Endpoint.Spec("c1",
                        new Endpoint.ComputeRange(Cu.QUARTER, Cu.ofWhole(2)), null, SUSPEND_AFTER, null), null)))));
        try (SimFleet fleet = new SimFleet(store, clock, endpoint -> Idle.TYPICAL, SimFleet.Settings.DEFAULT)) {
            fleet.addHost("c1", "host-0", SHAPE);
            fleet.lead();
            stepUntil(fleet, registry, Endpoint.Phase.Suspended, Duration.ofMinutes(5));
            assertThat(shop(registry).status().epoch()).isEqualTo(1L);

            Endpoint suspended = shop(registry);
            Endpoint asked = ((ResumeRequest.Requested) ResumeRequest.ask(suspended, clock.instant())).next();
            assertThat(store.txn(new ResourceTxn().update(suspended, asked).toTxn()).succeeded()).isTrue();
            Instant resumedAt = clock.instant();
            stepUntil(fleet, registry, Endpoint.Phase.Running, Duration.ofMinutes(1));

            Endpoint running = shop(registry);
            assertThat(running.status().epoch()).isEqualTo(2L);
            assertThat(running.status().resumeRequestedAt()).isNull();
            Instant placedAt = registry.get(Compute.class, Kind.COMPUTE, "shop-2").orElseThrow()
                    .metadata().creationTimestamp();
            assertThat(placedAt).isAfterOrEqualTo(resumedAt);
            while (clock.instant().plus(SimFleet.Settings.DEFAULT.tick()).isBefore(placedAt.plus(SUSPEND_AFTER))) {
                fleet.step();
                assertThat(shop(registry).status().phase()).as("at %s", clock.instant()).isEqualTo(Endpoint.Phase.Running);
            }
            stepUntil(fleet, registry, Endpoint.Phase.Suspended, Duration.ofMinutes(1));
            assertThat(clock.instant()).isAfterOrEqualTo(placedAt.plus(SUSPEND_AFTER));
        }
    }

    private static void stepUntil(SimFleet fleet, ResourceRegistry registry, Endpoint.Phase phase, Duration limit)
            throws InterruptedException {
        Instant deadline = fleet.clock().instant().plus(limit);
        while (shop(registry).status() == null || shop(registry).status().phase() != phase) {
            assertThat(fleet.clock().instant()).as("shop %s within %s", phase, limit).isBefore(deadline);
            fleet.step();
        }
    }

    private static Endpoint shop(ResourceRegistry registry) {
        return registry.get(Endpoint.class, Kind.ENDPOINT, "shop").orElseThrow();
    }
}
