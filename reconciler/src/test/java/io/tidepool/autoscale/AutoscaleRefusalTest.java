package io.tidepool.autoscale;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidepool.api.agent.ComputeMetrics;
import io.tidepool.api.quantity.Bytes;
import io.tidepool.api.quantity.Cu;
import io.tidepool.api.quantity.MilliCpu;
import io.tidepool.api.resource.Cell;
import io.tidepool.api.resource.Compute;
import io.tidepool.api.resource.Condition;
import io.tidepool.api.resource.Endpoint;
import io.tidepool.api.resource.Host;
import io.tidepool.api.resource.HostShape;
import io.tidepool.api.resource.Kind;
import io.tidepool.api.resource.ObjectMeta;
import io.tidepool.api.resource.Resource;
import io.tidepool.control.Conditions;
import io.tidepool.control.FleetCache;
import io.tidepool.reconcile.ManualClock;
import io.tidepool.registry.ResourceRegistry;
import io.tidepool.store.Op;
import io.tidepool.store.Txn;
import io.tidepool.store.memory.InMemoryStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A refused downscale, as the host agent leaves it until it sees the size put back: the condition
 * stays with the time the guest first refused, and the agent does not ask the guest for that size
 * again. The autoscaler puts the size back, saying why on the endpoint, and then waits its whole
 * refusal backoff from that moment before it downscales again; counting from the old refusal made
 * it downscale and put back without end, two writes a round.
 */
class AutoscaleRefusalTest {
    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
    private static final HostShape HOST = new HostShape(MilliCpu.ofCpus(8), Bytes.ofGibibytes(32));

    private final InMemoryStore store = new InMemoryStore();
    private final ResourceRegistry registry = new ResourceRegistry(store);
    private final ManualClock clock = new ManualClock(NOW);
    private final FleetCache cache = new FleetCache(registry);
    private final AutoscaleReconciler autoscaler = new AutoscaleReconciler(cache, store, ScalingPolicy.DEFAULT, clock);

    @Test
    void putsARefusedSizeBackAndWaitsTheWholeBackoffBeforeTryingAgain() throws Exception {
        Condition oldRefusal = new Condition(Conditions.DOWNSCALE_REFUSED, Condition.Status.True, "WouldNotFit",
                "downscale 2 to 1 CU refused", NOW.minus(Duration.ofMinutes(10)));
        put(new Cell(ObjectMeta.named("c1"), new Cell.Spec(HOST, null, 0.9, 1.0, null, 10), null),
                new Host(ObjectMeta.named("h1"), new Host.Spec("c1", HOST, false),
                        new Host.Status(true, Cu.ofWhole(2), Cu.ofWhole(8), NOW, List.of())),
                new Endpoint(ObjectMeta.named("db"), new Endpoint.Spec("c1",
                        new Endpoint.ComputeRange(Cu.QUARTER, Cu.ofWhole(4)), null, null, null),
                        new Endpoint.Status(Endpoint.Phase.Running, "h1", Cu.ofWhole(2), null, List.of(), null,
                                "db-1", 1L, null)),
                new Compute(ObjectMeta.named("db-1"), new Compute.Spec("db", "h1", Cu.ofWhole(1), Compute.Role.primary,
                        1, null), new Compute.Status(Compute.Phase.Running, Cu.ofWhole(2), null, true, List.of(oldRefusal))));
        cache.start();
        // An idle database watched for longer than the stabilisation window: it wants the minimum.
        for (Instant at = NOW.minus(Duration.ofMinutes(6)); !at.isAfter(NOW); at = at.plusSeconds(10)) {
            autoscaler.record("db-1", new ComputeMetrics(at, 0.01, 100L << 20, 0));
        }

        autoscaler.reconcile("db-1");
        cache.pumpAvailable();
        assertThat(granted()).as("the refused size is put back").isEqualTo(Cu.ofWhole(2));
        assertThat(registry.get(Endpoint.class, Kind.ENDPOINT, "db").orElseThrow().status().lastDecision().explanation())
                .as("the endpoint says why it kept its size").isEqualTo("put back to 2 CU: downscale 2 to 1 CU refused");
        long afterPutBack = store.currentRevision();

        autoscaler.reconcile("db-1");
        assertThat(store.currentRevision()).as("no downscale right after putting the size back").isEqualTo(afterPutBack);
        assertThat(autoscaler.lastDecision("db-1").orElseThrow().reason())
                .isEqualTo(ScalingDecision.Reason.REFUSED_RECENTLY);

        Instant later = NOW.plus(ScalingPolicy.DEFAULT.refusalBackoff()).plusSeconds(10);
        for (Instant at = NOW.plusSeconds(10); !at.isAfter(later); at = at.plusSeconds(10)) {
            autoscaler.record("db-1", new ComputeMetrics(at, 0.01, 100L << 20, 0));
        }
        clock.set(later);
        autoscaler.reconcile("db-1");
        cache.pumpAvailable();
        assertThat(granted()).as("tried again after the backoff").isLessThan(Cu.ofWhole(2));
    }

    private Cu granted() {
        return registry.get(Compute.class, Kind.COMPUTE, "db-1").orElseThrow().spec().cu();
    }

    private void put(Resource... resources) {
        store.txn(Txn.of(List.of(), List.of(resources).stream().map(r -> (Op) ResourceRegistry.putOp(r)).toList()));
    }
}
