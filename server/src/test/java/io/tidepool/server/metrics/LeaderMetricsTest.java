package io.tidepool.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidepool.api.quantity.Bytes;
import io.tidepool.api.quantity.Cu;
import io.tidepool.api.quantity.MilliCpu;
import io.tidepool.api.resource.Cell;
import io.tidepool.api.resource.Compute;
import io.tidepool.api.resource.Condition;
import io.tidepool.api.resource.Host;
import io.tidepool.api.resource.HostShape;
import io.tidepool.api.resource.Migration;
import io.tidepool.api.resource.ObjectMeta;
import io.tidepool.api.resource.Resource;
import io.tidepool.autoscale.ScalingDecision;
import io.tidepool.buffer.HostProviders;
import io.tidepool.control.Conditions;
import io.tidepool.control.ControlLoop;
import io.tidepool.reconcile.ManualClock;
import io.tidepool.registry.ResourceRegistry;
import io.tidepool.store.Op;
import io.tidepool.store.Txn;
import io.tidepool.store.memory.InMemoryStore;
import io.tidepool.switchover.Switchover;
import io.tidepool.telemetry.Telemetry;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The leader's series: the fleet as its cache holds it, and the counts of its term, from zero, only while it leads. */
class LeaderMetricsTest {
    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    private static final HostShape SHAPE = new HostShape(MilliCpu.ofCpus(8), Bytes.ofGibibytes(32));

    private final InMemoryStore store = new InMemoryStore();
    private final ManualClock clock = new ManualClock(T0);
    private final ServerMetrics metrics = new ServerMetrics(store);

    @Test
    void exposesEachCellAndHostMovesRestartsAndProviderAsTheCacheHoldsThem() {
        put(new Cell(ObjectMeta.named("static"), new Cell.Spec(SHAPE, new Cell.Buffer(Cu.ofWhole(4)), 0.9, 2.0, null, 10),
                        new Cell.Status(2, Cu.ofWhole(64), Cu.ofWhole(3), Cu.parse("25.75"), List.of())),
                new Cell(ObjectMeta.named("pooled"), new Cell.Spec(SHAPE, null, 0.9, 1.0,
                        new Cell.Provider(Cell.ProviderType.SIMULATED), 10),
                        new Cell.Status(1, Cu.ofWhole(8), Cu.ofWhole(2), Cu.parse("5.25"), List.of(new Condition(
                                Conditions.PROVIDER_READY, Condition.Status.False, "ProviderFailing", "down", T0)))),
                host("s1", "static", true, Cu.ofWhole(3)), host("s2", "static", false, Cu.ZERO),
                host("p1", "pooled", true, Cu.ofWhole(2)),
                new Migration(ObjectMeta.named("a-move-2"), new Migration.Spec("a", "a-1", "a-2", "s1", "s2", "watermark"),
                        new Migration.Status(Migration.Phase.Copying, T0, null, null, "warming")),
                new Migration(ObjectMeta.named("b-move-2"), new Migration.Spec("b", "b-1", "b-2", "s1", "s2", "watermark"),
                        new Migration.Status(Migration.Phase.Succeeded, T0, T0, T0, "done")),
                new Compute(ObjectMeta.named("c-2").withLabels(Map.of(Switchover.PURPOSE_LABEL, "restart")),
                        new Compute.Spec("c", "p1", Cu.ofWhole(1), Compute.Role.replacement, 2, null), null));
        TermMetrics term = metrics.newTerm(T0);
        try (ControlLoop loop = loop(term)) {
            metrics.leading(term, loop);

            Exposition scrape = scrape();

            assertThat(scrape.valueOf("tidepool_host_capacity_cu", "cell", "static", "host", "s1"))
                    .as("32 GiB is 8 CU; 8 CPUs at overcommit 2 would allow 16").isEqualTo(8.0);
            assertThat(scrape.valueOf("tidepool_host_allocated_cu", "cell", "static", "host", "s1")).isEqualTo(3.0);
            assertThat(scrape.valueOf("tidepool_host_ready", "cell", "static", "host", "s2")).isZero();
            assertThat(scrape.valueOf("tidepool_cell_hosts", "cell", "static", "ready", "true")).isEqualTo(1.0);
            assertThat(scrape.valueOf("tidepool_cell_hosts", "cell", "static", "ready", "false")).isEqualTo(1.0);
            assertThat(scrape.valueOf("tidepool_cell_capacity_cu", "cell", "static")).as("the rollup, as written").isEqualTo(64.0);
            assertThat(scrape.valueOf("tidepool_cell_allocated_cu", "cell", "static")).isEqualTo(3.0);
            assertThat(scrape.valueOf("tidepool_cell_spare_cu", "cell", "static")).isEqualTo(25.75);
            assertThat(scrape.valueOf("tidepool_cell_buffer_target_cu", "cell", "static")).isEqualTo(4.0);
            assertThat(scrape.valueOf("tidepool_cell_provider_ready", "cell", "pooled", "provider", "simulated")).isZero();
            assertThat(scrape.samples("tidepool_cell_provider_ready")).as("a static cell has no provider").hasSize(1);
            assertThat(scrape.valueOf("tidepool_migrations_in_progress", "cell", "static")).as("a finished one is not").isEqualTo(1.0);
            assertThat(scrape.valueOf("tidepool_migrations_in_progress", "cell", "pooled")).isZero();
            assertThat(scrape.valueOf("tidepool_restarts_in_progress", "cell", "pooled")).isEqualTo(1.0);
            assertThat(scrape.valueOf("tidepool_restarts_in_progress", "cell", "static")).isZero();
            assertThat(scrape.valueOf("tidepool_workqueue_depth", "controller", "placement"))
                    .as("priming queued each cell for placement").isEqualTo(2.0);
            assertThat(scrape.valueOf("tidepool_leader_term_start_time_seconds")).isEqualTo(T0.getEpochSecond());
        }
    }

    @Test
    void aTermsCountsShowOnlyWhileItLeadsAndTheNextTermStartsFromZero() {
        TermMetrics first = metrics.newTerm(T0);
        try (ControlLoop loop = loop(first)) {
            metrics.leading(first, loop);
            first.observers().scaling().decided(ScalingDecision.Direction.UP, ScalingDecision.Reason.CPU);
            first.observers().scaling().decided(ScalingDecision.Direction.UP, ScalingDecision.Reason.CPU);
            assertThat(scrape().valueOf("tidepool_scaling_decisions_total", "direction", "up", "reason", "cpu")).isEqualTo(2.0);
            assertThat(scrape().valueOf("tidepool_reconcile_total", "controller", "autoscale", "result", "error"))
                    .as("each controller's series from its start").isZero();

            metrics.stoppedLeading(first);
            Exposition between = scrape();
            assertThat(between.types()).doesNotContainKeys("tidepool_scaling_decisions_total", "tidepool_reconcile_total",
                    "tidepool_host_allocated_cu", "tidepool_leader_term_start_time_seconds");
            assertThat(between.valueOf("tidepool_store_revision")).isEqualTo(store.currentRevision());
        }
        TermMetrics second = metrics.newTerm(T0.plusSeconds(60));
        try (ControlLoop loop = loop(second)) {
            metrics.leading(second, loop);
            first.observers().scaling().decided(ScalingDecision.Direction.UP, ScalingDecision.Reason.CPU);

            Exposition scrape = scrape();
            assertThat(scrape.valueOrZero("tidepool_scaling_decisions_total", "direction", "up", "reason", "cpu"))
                    .as("the old term's late report does not count in the new one").isZero();
            assertThat(scrape.valueOf("tidepool_leader_term_start_time_seconds")).isEqualTo(T0.plusSeconds(60).getEpochSecond());
        }
    }

    private ControlLoop loop(TermMetrics term) {
        ControlLoop loop = new ControlLoop(store, clock, new Telemetry(clock.instant()), ControlLoop.Settings.DEFAULT,
                HostProviders.none(), term.observers());
        loop.prime();
        return loop;
    }

    private Exposition scrape() {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            metrics.write(out);
            return Exposition.parse(out.toString(StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Host host(String name, String cell, boolean ready, Cu allocated) {
        return new Host(ObjectMeta.named(name), new Host.Spec(cell, SHAPE, false),
                new Host.Status(ready, allocated, Cu.ofWhole(8), T0, List.of()));
    }

    private void put(Resource... resources) {
        store.txn(Txn.of(List.of(), List.of(resources).stream().map(r -> (Op) ResourceRegistry.putOp(r)).toList()));
    }
}
