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
import io.tidepool.capacity.Ledger;
import io.tidepool.control.FleetCache;
import io.tidepool.reconcile.ManualClock;
import io.tidepool.registry.ResourceRegistry;
import io.tidepool.store.Op;
import io.tidepool.store.Store;
import io.tidepool.store.Txn;
import io.tidepool.store.memory.InMemoryStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Two computes of one host call for memory at once. The second grant is checked against the
 * ledger the first one wrote, even before the cache has heard of it: one transaction each, where
 * the second used to fail its compare on the host and pay another commit on the way to relief.
 */
class AdmissionOnOneHostTest {
    private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    private static final HostShape HOST = new HostShape(MilliCpu.ofCpus(8), Bytes.ofGibibytes(32));

    private final InMemoryStore store = new InMemoryStore();
    private final AtomicInteger transactions = new AtomicInteger();
    private final ResourceRegistry registry = new ResourceRegistry(store);
    private final FleetCache cache = new FleetCache(registry);
    private final AutoscaleReconciler autoscaler = new AutoscaleReconciler(cache, countingTransactions(store),
            ScalingPolicy.DEFAULT, new ManualClock(NOW));

    @Test
    void aSecondGrantOnTheSameHostNeedsNoSecondAttempt() throws Exception {
        put(new Cell(ObjectMeta.named("c1"), new Cell.Spec(HOST, null, 0.9, 1.0, null, 10), null),
                new Host(ObjectMeta.named("h1"), new Host.Spec("c1", HOST, false),
                        new Host.Status(true, Cu.ofQuarters(2), Cu.ofWhole(8), NOW, List.of())),
                endpoint("a"), compute("a"), endpoint("b"), compute("b"));
        cache.start();
        autoscaler.requestUpscale("a-1", new UpscaleRequest(NOW, 2L << 30, "memory-pressure"));
        autoscaler.requestUpscale("b-1", new UpscaleRequest(NOW, 2L << 30, "memory-pressure"));

        autoscaler.reconcile("a-1");
        autoscaler.reconcile("b-1");

        Cu a = granted("a-1");
        Cu b = granted("b-1");
        assertThat(a).as("a grew").isGreaterThan(Cu.QUARTER);
        assertThat(b).as("b grew").isGreaterThan(Cu.QUARTER);
        assertThat(Ledger.allocated(registry.get(Host.class, Kind.HOST, "h1").orElseThrow()))
                .as("the ledger holds both grants").isEqualTo(a.plus(b));
        assertThat(transactions).as("one transaction per grant").hasValue(2);
    }

    private Store countingTransactions(Store target) {
        return (Store) Proxy.newProxyInstance(Store.class.getClassLoader(), new Class<?>[] {Store.class}, (proxy, method, args) -> {
            if (method.getName().equals("txn")) {
                transactions.incrementAndGet();
            }
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        });
    }

    private static Endpoint endpoint(String name) {
        return new Endpoint(ObjectMeta.named(name), new Endpoint.Spec("c1",
                new Endpoint.ComputeRange(Cu.QUARTER, Cu.ofWhole(4)), null, null, null),
                new Endpoint.Status(Endpoint.Phase.Running, "h1", Cu.QUARTER, null, List.of(), null, name + "-1", 1L, null));
    }

    private static Compute compute(String endpoint) {
        return new Compute(ObjectMeta.named(endpoint + "-1"), new Compute.Spec(endpoint, "h1", Cu.QUARTER,
                Compute.Role.primary, 1, null), new Compute.Status(Compute.Phase.Running, Cu.QUARTER, null, true, List.of()));
    }

    private Cu granted(String compute) {
        return registry.get(Compute.class, Kind.COMPUTE, compute).orElseThrow().spec().cu();
    }

    private void put(Resource... resources) {
        store.txn(Txn.of(List.of(), List.of(resources).stream().map(r -> (Op) ResourceRegistry.putOp(r)).toList()));
    }
}
