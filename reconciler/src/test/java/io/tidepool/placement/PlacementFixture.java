package io.tidepool.placement;

import io.tidepool.api.quantity.Bytes;
import io.tidepool.api.quantity.Cu;
import io.tidepool.api.quantity.MilliCpu;
import io.tidepool.api.resource.Cell;
import io.tidepool.api.resource.Compute;
import io.tidepool.api.resource.Endpoint;
import io.tidepool.api.resource.Host;
import io.tidepool.api.resource.HostShape;
import io.tidepool.api.resource.ObjectMeta;
import io.tidepool.api.resource.Resource;
import io.tidepool.control.FleetCache;
import io.tidepool.registry.ResourceRegistry;
import io.tidepool.store.Op;
import io.tidepool.store.Txn;
import io.tidepool.store.memory.InMemoryStore;
import java.util.List;

/** A cell in an in-memory store with the fleet cache and pending index that placement reads. */
final class PlacementFixture {
    /** 8 CU per host. */
    static final HostShape HOST = new HostShape(MilliCpu.ofCpus(8), Bytes.ofGibibytes(32));

    final InMemoryStore store = new InMemoryStore();
    final FleetCache cache = new FleetCache(new ResourceRegistry(store));
    final PendingEndpoints pending = new PendingEndpoints(cache);

    void put(Resource... resources) {
        store.txn(Txn.of(List.of(), List.of(resources).stream().map(r -> (Op) ResourceRegistry.putOp(r)).toList()));
    }

    void catchUp() throws InterruptedException {
        cache.pumpAvailable();
    }

    static Cell cell(String name) {
        return new Cell(ObjectMeta.named(name), new Cell.Spec(HOST, null, 1.0, 1.0, null, 100), null);
    }

    static Host readyHost(String name, String cell) {
        return new Host(ObjectMeta.named(name), new Host.Spec(cell, HOST, false),
                new Host.Status(true, Cu.ZERO, null, null, List.of()));
    }

    static Endpoint endpoint(String name, String cell) {
        return new Endpoint(ObjectMeta.named(name), new Endpoint.Spec(cell,
                new Endpoint.ComputeRange(Cu.QUARTER, Cu.ofWhole(2)), null, null, null), null);
    }

    static Endpoint placed(Endpoint endpoint, String compute) {
        return endpoint.withStatus(new Endpoint.Status(Endpoint.Phase.Running, "h1", Cu.QUARTER, null, List.of(), null,
                compute, 1L, null));
    }

    static Compute compute(String name, String endpoint) {
        return new Compute(ObjectMeta.named(name), new Compute.Spec(endpoint, "h1", Cu.QUARTER, Compute.Role.primary, 1,
                null), null);
    }
}
