package io.tidepool.switchover;

import static org.assertj.core.api.Assertions.assertThat;

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
import io.tidepool.endpoint.ClientAddresses;
import io.tidepool.registry.ResourceRegistry;
import io.tidepool.registry.ResourceTxn;
import io.tidepool.store.Txn;
import io.tidepool.store.memory.InMemoryStore;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SwitchoverTest {
    private static final Instant NOW = Instant.parse("2026-01-04T02:00:00Z");
    private static final HostShape SHAPE = new HostShape(new MilliCpu(4_000), new Bytes(16L << 30));
    private static final Cell CELL = new Cell(ObjectMeta.named("c1"), new Cell.Spec(SHAPE, null, 0.9, 1.0, null, 5), null);
    private static final Endpoint.Postgres PG16 = new Endpoint.Postgres("16", null);

    private final InMemoryStore store = new InMemoryStore();
    private final ResourceRegistry registry = new ResourceRegistry(store);

    @Test
    void theNextEpochIsAboveTheEndpointsAndEveryComputeOfIt() {
        Endpoint endpoint = endpoint(2, "db-2");
        assertThat(Switchover.nextEpoch(endpoint, List.of())).isEqualTo(3);
        assertThat(Switchover.nextEpoch(endpoint, List.of(compute("db-5", "h1", Cu.ofWhole(1), 5, Compute.Role.replacement))))
                .isEqualTo(6);
    }

    @Test
    void aReplacementStartsOnlyWithItsCuGrantedOnTheTargetInTheSameTransaction() {
        Host target = stored(host("h2", Cu.ofWhole(3)));
        Endpoint endpoint = stored(endpoint(1, "db-1"));

        ResourceTxn full = new ResourceTxn();
        assertThat(Switchover.start(full, endpoint, 2, target, CELL, Cu.ofWhole(2), PG16, Switchover.Purpose.restart, NOW))
                .as("4 CU host with 3 granted has no room for 2").isEmpty();
        assertThat(full.isEmpty()).isTrue();

        ResourceTxn txn = new ResourceTxn();
        Optional<Compute> replacement = Switchover.start(txn, endpoint, 2, target, CELL, Cu.ofWhole(1), PG16,
                Switchover.Purpose.restart, NOW);
        assertThat(store.txn(txn.toTxn()).succeeded()).isTrue();
        Compute written = get(Compute.class, Kind.COMPUTE, replacement.orElseThrow().name());
        assertThat(written.spec().role()).isEqualTo(Compute.Role.replacement);
        assertThat(Switchover.Purpose.of(written)).contains(Switchover.Purpose.restart);
        assertThat(Ledger.allocated(get(Host.class, Kind.HOST, "h2"))).isEqualTo(Cu.ofWhole(4));
    }

    @Test
    void theSwitchMakesTheReplacementTheOnlyPrimaryAndGrowsItToThePrimarysSizeWhenItFits() {
        stored(host("h1", Cu.ofWhole(2)));
        Host target = stored(host("h2", Cu.ofWhole(1)));
        Compute primary = stored(compute("db-1", "h1", Cu.ofWhole(2), 1, Compute.Role.primary));
        Compute replacement = stored(compute("db-2", "h2", Cu.ofWhole(1), 2, Compute.Role.replacement));
        Endpoint endpoint = stored(endpoint(1, "db-1"));

        ResourceTxn txn = new ResourceTxn();
        Cu cu = Switchover.complete(txn, endpoint, primary, replacement, target, CELL, List.of(), ClientAddresses.NONE);
        assertThat(store.txn(txn.toTxn()).succeeded()).isTrue();

        assertThat(cu).isEqualTo(Cu.ofWhole(2));
        assertThat(registry.get(Kind.COMPUTE, "db-1")).as("the old primary is gone").isEmpty();
        Compute promoted = get(Compute.class, Kind.COMPUTE, "db-2");
        assertThat(promoted.spec().role()).isEqualTo(Compute.Role.primary);
        assertThat(promoted.spec().cu()).isEqualTo(Cu.ofWhole(2));
        assertThat(Switchover.Purpose.of(promoted)).isEmpty();
        Endpoint after = get(Endpoint.class, Kind.ENDPOINT, "e");
        assertThat(after.status().compute()).isEqualTo("db-2");
        assertThat(after.status().epoch()).isEqualTo(2);
        assertThat(after.status().host()).isEqualTo("h2");
        assertThat(Ledger.allocated(get(Host.class, Kind.HOST, "h2"))).isEqualTo(Cu.ofWhole(2));
    }

    @Test
    void thePromotedReplacementIsStartingUntilItsHostSaysItRunsAsThePrimary() {
        Host target = stored(host("h2", Cu.ofWhole(1)));
        Compute primary = stored(compute("db-1", "h1", Cu.ofWhole(1), 1, Compute.Role.primary));
        Compute replacement = stored(compute("db-2", "h2", Cu.ofWhole(1), 2, Compute.Role.replacement));
        Endpoint endpoint = stored(endpoint(1, "db-1"));

        ResourceTxn txn = new ResourceTxn();
        Switchover.complete(txn, endpoint, primary, replacement, target, CELL, List.of(), ClientAddresses.NONE);
        assertThat(store.txn(txn.toTxn()).succeeded()).isTrue();

        Compute.Status promoted = get(Compute.class, Kind.COMPUTE, "db-2").status();
        assertThat(promoted.phase()).as("a standby until it takes over").isEqualTo(Compute.Phase.Starting);
        assertThat(promoted.warm()).isFalse();
        assertThat(promoted.address()).isEqualTo(replacement.status().address());
    }

    @Test
    void theSwitchKeepsTheEndpointsStableAddressWhenAProxyServesIt() {
        Host target = stored(host("h2", Cu.ofWhole(1)));
        Compute primary = stored(compute("db-1", "h1", Cu.ofWhole(1), 1, Compute.Role.primary));
        Compute replacement = stored(compute("db-2", "h2", Cu.ofWhole(1), 2, Compute.Role.replacement));
        Endpoint endpoint = stored(endpoint(1, "db-1"));
        String stable = "postgresql://postgres@127.0.0.1:6432/postgres";

        ResourceTxn txn = new ResourceTxn();
        Switchover.complete(txn, endpoint, primary, replacement, target, CELL, List.of(), name -> Optional.of(stable));
        assertThat(store.txn(txn.toTxn()).succeeded()).isTrue();

        assertThat(get(Endpoint.class, Kind.ENDPOINT, "e").status().address()).isEqualTo(stable);
    }

    @Test
    void aSwitchDecidedFromAStaleReadWritesNothing() {
        Host target = stored(host("h2", Cu.ofWhole(1)));
        Compute primary = stored(compute("db-1", "h1", Cu.ofWhole(1), 1, Compute.Role.primary));
        Compute replacement = stored(compute("db-2", "h2", Cu.ofWhole(1), 2, Compute.Role.replacement));
        Endpoint endpoint = stored(endpoint(1, "db-1"));
        stored(primary); // someone wrote the primary since it was read

        ResourceTxn txn = new ResourceTxn();
        Switchover.complete(txn, endpoint, primary, replacement, target, CELL, List.of(), ClientAddresses.NONE);
        assertThat(store.txn(txn.toTxn()).succeeded()).isFalse();
        assertThat(get(Compute.class, Kind.COMPUTE, "db-2").spec().role()).isEqualTo(Compute.Role.replacement);
        assertThat(get(Endpoint.class, Kind.ENDPOINT, "e").status().compute()).isEqualTo("db-1");
    }

    private static Endpoint endpoint(long epoch, String compute) {
        return new Endpoint(ObjectMeta.named("e"), new Endpoint.Spec("c1",
                new Endpoint.ComputeRange(Cu.QUARTER, Cu.ofWhole(4)), PG16, null, null),
                new Endpoint.Status(Endpoint.Phase.Running, "h1", Cu.ofWhole(1), null, null, null, compute, epoch, null));
    }

    private static Host host(String name, Cu allocated) {
        return new Host(ObjectMeta.named(name), new Host.Spec("c1", SHAPE, false),
                new Host.Status(true, allocated, Cu.ofWhole(4), NOW, null));
    }

    private static Compute compute(String name, String host, Cu cu, long epoch, Compute.Role role) {
        ObjectMeta meta = ObjectMeta.named(name);
        if (role == Compute.Role.replacement) {
            meta = meta.withLabels(Map.of(Switchover.PURPOSE_LABEL, "migration"));
        }
        return new Compute(meta, new Compute.Spec("e", host, cu, role, epoch, PG16),
                new Compute.Status(Compute.Phase.Running, cu, "sim://" + host + "/" + name, true, null));
    }

    @SuppressWarnings("unchecked")
    private <T extends Resource> T stored(T resource) {
        store.txn(Txn.of(List.of(), List.of(ResourceRegistry.putOp(resource))));
        return (T) registry.get(resource.kind(), resource.name()).orElseThrow();
    }

    private <T extends Resource> T get(Class<T> type, Kind kind, String name) {
        return registry.get(type, kind, name).orElseThrow();
    }
}
