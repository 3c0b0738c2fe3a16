package io.tidepool.migration;

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
import io.tidepool.api.resource.Migration;
import io.tidepool.api.resource.ObjectMeta;
import io.tidepool.api.resource.Resource;
import io.tidepool.control.FleetCache;
import io.tidepool.reconcile.ManualClock;
import io.tidepool.registry.ResourceRegistry;
import io.tidepool.store.Op;
import io.tidepool.switchover.Switchover;
import io.tidepool.store.Txn;
import io.tidepool.store.memory.InMemoryStore;
import io.tidepool.telemetry.Telemetry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The migration controller on a cache of an in-memory store: what it starts, given what the hosts hold. */
class MigrationReconcilerTest {
    private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
    /** 8 CU per host; a watermark of 0.75 is 6 CU. */
    private static final HostShape HOST = new HostShape(MilliCpu.ofCpus(8), Bytes.ofGibibytes(32));

    private final InMemoryStore store = new InMemoryStore();
    private final ResourceRegistry registry = new ResourceRegistry(store);
    private final FleetCache cache = new FleetCache(registry);
    private final MigrationReconciler migrations = new MigrationReconciler(cache, store, new Telemetry(T0), new ManualClock(T0),
            MigrationSettings.DEFAULT);

    @Test
    void aHostWhoseLedgerIsAboveItsWatermarkShedsWhatItsComputesHold() throws Exception {
        List<Resource> fleet = new ArrayList<>(List.of(cell(), host("h0", "7"), host("h1", "0")));
        for (String name : List.of("a", "b", "c", "d")) {
            fleet.add(endpoint(name));
            fleet.add(primary(name, "h0", "1.75"));
        }
        put(fleet);

        migrations.reconcile("c1");

        assertThat(registry.listAll(Kind.MIGRATION)).as("one move takes h0 from 7 to 5.25 CU").hasSize(1);
    }

    @Test
    void aHostThatAMoveRelievedIsNotShedAgainBeforeItsLedgerCatchesUp() throws Exception {
        List<Resource> fleet = new ArrayList<>(List.of(cell(), host("h0", "7"), host("h1", "1.75")));
        for (String name : List.of("b", "c", "d")) {
            fleet.add(endpoint(name));
            fleet.add(primary(name, "h0", "1.75"));
        }
        fleet.add(endpoint("a"));
        fleet.add(primary("a", "h1", "1.75"));
        put(fleet);

        migrations.reconcile("c1");

        assertThat(registry.listAll(Kind.MIGRATION)).as("h0's computes hold 5.25 CU; its ledger says 7 until the ledger sync")
                .isEmpty();
        assertThat(migrations.lastPlan("c1")).isEmpty();
    }

    @Test
    void aPassThatSwitchesAMoveDoesNotPlanFromTheHostAsItWasBefore() throws Exception {
        List<Resource> fleet = new ArrayList<>(List.of(cell(), host("h0", "7"), host("h1", "1.75")));
        for (String name : List.of("b", "c", "d")) {
            fleet.add(endpoint(name));
            fleet.add(primary(name, "h0", "1.75"));
        }
        fleet.add(endpoint("a"));
        Compute fenced = primary("a", "h0", "1.75");
        fleet.add(new Compute(fenced.metadata(), new Compute.Spec("a", "h0", fenced.spec().cu(), Compute.Role.fenced, 1,
                fenced.spec().postgres()), new Compute.Status(Compute.Phase.Stopped, fenced.spec().cu(), null, true, List.of())));
        fleet.add(new Compute(ObjectMeta.named("a-2").withLabels(Map.of(Switchover.PURPOSE_LABEL, "migration")),
                new Compute.Spec("a", "h1", Cu.parse("1.75"), Compute.Role.replacement, 2, fenced.spec().postgres()),
                new Compute.Status(Compute.Phase.Running, Cu.parse("1.75"), null, true, List.of())));
        fleet.add(new Migration(ObjectMeta.named("a-move-2"), new Migration.Spec("a", "a-1", "a-2", "h0", "h1", "h0 above its watermark"),
                new Migration.Status(Migration.Phase.Switching, T0, T0, null, "switching")));
        put(fleet);

        migrations.reconcile("c1");

        assertThat(registry.listAll(Kind.MIGRATION)).singleElement()
                .satisfies(m -> assertThat(((Migration) m).status().phase()).isEqualTo(Migration.Phase.Succeeded));
        cache.pumpAvailable();
        migrations.reconcile("c1");
        assertThat(registry.listAll(Kind.MIGRATION)).as("h0 holds 5.25 CU after the switch: nothing more to move").hasSize(1);
    }

    private void put(List<Resource> resources) throws InterruptedException {
        store.txn(Txn.of(List.of(), resources.stream().map(r -> (Op) ResourceRegistry.putOp(r)).toList()));
        cache.start();
        cache.pumpAvailable();
    }

    private static Cell cell() {
        return new Cell(ObjectMeta.named("c1"), new Cell.Spec(HOST, null, 0.75, 1.0, null, 10), null);
    }

    private static Host host(String name, String allocated) {
        return new Host(ObjectMeta.named(name), new Host.Spec("c1", HOST, false),
                new Host.Status(true, Cu.parse(allocated), Cu.ofWhole(8), T0, List.of()));
    }

    private static Endpoint endpoint(String name) {
        return new Endpoint(ObjectMeta.named(name), new Endpoint.Spec("c1",
                new Endpoint.ComputeRange(Cu.QUARTER, Cu.ofWhole(4)), new Endpoint.Postgres("15", Map.of()), null, null),
                new Endpoint.Status(Endpoint.Phase.Running, null, Cu.parse("1.75"), null, List.of(), null, name + "-1", 1L, null));
    }

    private static Compute primary(String endpoint, String host, String cu) {
        return new Compute(ObjectMeta.named(endpoint + "-1"), new Compute.Spec(endpoint, host, Cu.parse(cu), Compute.Role.primary,
                1, new Endpoint.Postgres("15", Map.of())), new Compute.Status(Compute.Phase.Running, Cu.parse(cu), null, true, List.of()));
    }
}
