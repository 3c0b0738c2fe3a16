package io.tidepool.autoscale;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidepool.api.agent.UpscaleRequest;
import io.tidepool.api.quantity.Bytes;
import io.tidepool.api.quantity.Cu;
import io.tidepool.api.quantity.MilliCpu;
import io.tidepool.api.resource.Cell;
import io.tidepool.api.resource.Compute;
import io.tidepool.api.resource.Endpoint;
import io.tidepool.api.resource.Host;
import io.tidepool.api.resource.HostShape;
import io.tidepool.api.resource.Kind;
import io.tidepool.api.resource.ObjectMeta;
import io.tidepool.api.resource.Resource;
import io.tidepool.control.FleetCache;
import io.tidepool.reconcile.ManualClock;
import io.tidepool.registry.ResourceRegistry;
import io.tidepool.store.Op;
import io.tidepool.store.Txn;
import io.tidepool.store.memory.InMemoryStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** What the autoscaler tells its observer: each decision acted on once, and each upscale's time to its compute. */
class ScalingReportsTest {
    private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    private static final HostShape HOST = new HostShape(MilliCpu.ofCpus(8), Bytes.ofGibibytes(32));

    private final InMemoryStore store = new InMemoryStore();
    private final ResourceRegistry registry = new ResourceRegistry(store);
    private final FleetCache cache = new FleetCache(registry);
    private final ManualClock clock = new ManualClock(NOW);
    private final Recorded recorded = new Recorded();
    private final AutoscaleReconciler autoscaler = new AutoscaleReconciler(cache, store, ScalingPolicy.DEFAULT, clock, recorded);

    private record Decision(ScalingDecision.Direction direction, ScalingDecision.Reason reason) {
    }

    private record Confirmation(ScalingDecision.Reason reason, Duration took) {
    }

    private static final class Recorded implements ScalingObserver {
        final List<Decision> decisions = new CopyOnWriteArrayList<>();
        final List<Confirmation> confirmations = new CopyOnWriteArrayList<>();

        @Override
        public void decided(ScalingDecision.Direction direction, ScalingDecision.Reason reason) {
            decisions.add(new Decision(direction, reason));
        }

        @Override
        public void upscaleConfirmed(ScalingDecision.Reason reason, Duration took) {
            confirmations.add(new Confirmation(reason, took));
        }
    }

    @Test
    void anUpscaleForACallForMemoryIsCountedOnceAndTimedFromTheCallToTheHostsReport() throws Exception {
        put(hostWithAllocated(Cu.QUARTER));
        cache.start();
        autoscaler.requestUpscale("a-1", new UpscaleRequest(NOW, 2L << 30, "memory-pressure"));
        clock.advance(Duration.ofMillis(4));

        autoscaler.reconcile("a-1");
        cache.pumpAvailable();
        Compute granted = compute();
        assertThat(granted.spec().cu()).isGreaterThan(Cu.QUARTER);
        assertThat(recorded.decisions).containsExactly(
                new Decision(ScalingDecision.Direction.UP, ScalingDecision.Reason.PRESSURE));

        clock.advance(Duration.ofMillis(17));
        autoscaler.observe(granted);
        assertThat(recorded.confirmations).as("not confirmed before the host reports the size").isEmpty();
        autoscaler.observe(granted.withStatus(new Compute.Status(Compute.Phase.Running, granted.spec().cu(), null, true,
                List.of())));
        assertThat(recorded.confirmations).containsExactly(
                new Confirmation(ScalingDecision.Reason.PRESSURE, Duration.ofMillis(21)));
    }

    @Test
    void anUpscaleTheHostHasNoRoomForIsAHoldForNoRoom() throws Exception {
        put(hostWithAllocated(Cu.ofWhole(8)));
        cache.start();
        autoscaler.requestUpscale("a-1", new UpscaleRequest(NOW, 2L << 30, "memory-pressure"));

        autoscaler.reconcile("a-1");

        assertThat(compute().spec().cu()).isEqualTo(Cu.QUARTER);
        assertThat(recorded.decisions).containsExactly(
                new Decision(ScalingDecision.Direction.HOLD, ScalingDecision.Reason.NO_ROOM));
        assertThat(autoscaler.lastDecision("a-1").orElseThrow().reason()).isEqualTo(ScalingDecision.Reason.NO_ROOM);
    }

    @Test
    void aWriteThatLostARaceIsNotCountedAndItsRetryIs() throws Exception {
        put(hostWithAllocated(Cu.QUARTER));
        cache.start();
        Compute seen = compute();
        put(seen.withStatus(new Compute.Status(Compute.Phase.Running, Cu.QUARTER, "127.0.0.1:5432", true, List.of())));
        autoscaler.requestUpscale("a-1", new UpscaleRequest(NOW, 2L << 30, "memory-pressure"));

        autoscaler.reconcile("a-1");
        assertThat(compute().spec().cu()).as("the compute changed under the cache: not written").isEqualTo(Cu.QUARTER);
        assertThat(recorded.decisions).isEmpty();

        cache.pumpAvailable();
        autoscaler.reconcile("a-1");
        assertThat(compute().spec().cu()).isGreaterThan(Cu.QUARTER);
        assertThat(recorded.decisions).containsExactly(
                new Decision(ScalingDecision.Direction.UP, ScalingDecision.Reason.PRESSURE));
    }

    private Resource[] hostWithAllocated(Cu allocated) {
        return new Resource[] {
                new Cell(ObjectMeta.named("c1"), new Cell.Spec(HOST, null, 0.9, 1.0, null, 10), null),
                new Host(ObjectMeta.named("h1"), new Host.Spec("c1", HOST, false),
                        new Host.Status(true, allocated, Cu.ofWhole(8), NOW, List.of())),
                new Endpoint(ObjectMeta.named("a"), new Endpoint.Spec("c1",
                        new Endpoint.ComputeRange(Cu.QUARTER, Cu.ofWhole(4)), null, null, null),
                        new Endpoint.Status(Endpoint.Phase.Running, "h1", Cu.QUARTER, null, List.of(), null, "a-1", 1L, null)),
                new Compute(ObjectMeta.named("a-1"), new Compute.Spec("a", "h1", Cu.QUARTER, Compute.Role.primary, 1, null),
                        new Compute.Status(Compute.Phase.Running, Cu.QUARTER, null, true, List.of()))};
    }

    private Compute compute() {
        return registry.get(Compute.class, Kind.COMPUTE, "a-1").orElseThrow();
    }

    private void put(Resource... resources) {
        store.txn(Txn.of(List.of(), List.of(resources).stream().map(r -> (Op) ResourceRegistry.putOp(r)).toList()));
    }
}
