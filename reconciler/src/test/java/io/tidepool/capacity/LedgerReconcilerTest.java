package io.tidepool.capacity;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidepool.api.quantity.Bytes;
import io.tidepool.api.quantity.Cu;
import io.tidepool.api.quantity.MilliCpu;
import io.tidepool.api.resource.Cell;
import io.tidepool.api.resource.Compute;
import io.tidepool.api.resource.Host;
import io.tidepool.api.resource.HostShape;
import io.tidepool.api.resource.Kind;
import io.tidepool.api.resource.ObjectMeta;
import io.tidepool.control.FleetCache;
import io.tidepool.reconcile.Result;
import io.tidepool.registry.ResourceKeys;
import io.tidepool.registry.ResourceRegistry;
import io.tidepool.registry.ResourceTxn;
import io.tidepool.store.Op;
import io.tidepool.store.Txn;
import io.tidepool.store.WatchEvent;
import io.tidepool.store.memory.InMemoryStore;
import java.util.List;
import org.junit.jupiter.api.Test;

class LedgerReconcilerTest {
    private static final HostShape SHAPE = new HostShape(MilliCpu.ofCpus(8), Bytes.ofGibibytes(32));

    @Test
    void waitsWhileTheCacheHasAWritesComputesButNotYetItsHost() throws Exception {
        InMemoryStore store = new InMemoryStore();
        ResourceRegistry registry = new ResourceRegistry(store);
        Host host = new Host(ObjectMeta.named("h1"), new Host.Spec("c1", SHAPE, false),
                new Host.Status(true, Cu.ZERO, Cu.ofWhole(8), null, null));
        store.txn(Txn.of(List.of(), List.<Op>of(
                ResourceRegistry.putOp(new Cell(ObjectMeta.named("c1"), new Cell.Spec(SHAPE, null, 0.9, 1.0, null, 5), null)),
                ResourceRegistry.putOp(host))));
        try (FleetCache cache = new FleetCache(registry)) {
            cache.start();
            LedgerReconciler ledger = new LedgerReconciler(cache, store);
            Host stored = registry.get(Host.class, Kind.HOST, "h1").orElseThrow();
            Compute compute = new Compute(ObjectMeta.named("shop-1"),
                    new Compute.Spec("shop", "h1", Cu.ofWhole(2), Compute.Role.primary, 1, null), null);
            // What placement writes: the compute and the host's raised ledger, at once.
            store.txn(new ResourceTxn().create(compute).update(stored, Ledger.withLedger(stored, Cu.ofWhole(2), Cu.ofWhole(8))).toTxn());
            // Another thread's view while the cache applies that write: computes first, the host next.
            cache.computes.accept(List.of(new WatchEvent(WatchEvent.Type.PUT,
                    store.get(ResourceKeys.key(Kind.COMPUTE, "shop-1")).orElseThrow())));

            Result midWrite = ledger.reconcile("h1");
            cache.pumpAvailable();
            Result afterWrite = ledger.reconcile("h1");

            assertThat(midWrite.requeues()).isTrue();
            assertThat(afterWrite.requeues()).isFalse();
            assertThat(registry.get(Host.class, Kind.HOST, "h1").orElseThrow().status().allocatedCu()).isEqualTo(Cu.ofWhole(2));
        }
    }
}
