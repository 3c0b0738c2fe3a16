package io.tidepool.server.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.tidepool.migration.MigrationEnd;
import io.tidepool.migration.MigrationObserver;
import java.time.Duration;
import java.util.List;

/**
 * Migrations started and finished in one term, and how long they took. Every series a migration
 * can reach exists from the term's start, at zero, so that the first move of a term shows in
 * {@code increase()}.
 */
final class MigrationMetrics implements MigrationObserver {
    /** From a replacement that warms at once to the 10-minute timeout and past it. */
    private static final double[] SECONDS = {0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1200};

    private final Counter started = Counter.builder()
            .name("tidepool_migrations_started_total")
            .help("Migrations started, by why (watermark: the source host was above its watermark)")
            .labelNames("reason")
            .build();
    private final Counter finished = Counter.builder()
            .name("tidepool_migrations_finished_total")
            .help("Migrations ended, by why they started and how they ended: succeeded, or why they failed")
            .labelNames("reason", "outcome")
            .build();
    private final Histogram durations = Histogram.builder()
            .name("tidepool_migration_duration_seconds")
            .help("From a migration's startedAt to its finishedAt, by how it ended")
            .labelNames("outcome")
            .classicUpperBounds(SECONDS)
            .build();

    MigrationMetrics() {
        started.labelValues(OVER_WATERMARK);
        for (MigrationEnd end : MigrationEnd.values()) {
            finished.labelValues(OVER_WATERMARK, end.label());
            durations.labelValues(end.label());
        }
    }

    @Override
    public void started(String reason) {
        started.labelValues(reason).inc();
    }

    @Override
    public void finished(String reason, MigrationEnd end, Duration took) {
        finished.labelValues(reason, end.label()).inc();
        durations.labelValues(end.label()).observe(Seconds.of(took));
    }

    List<MetricSnapshot> collect() {
        return List.of(started.collect(), finished.collect(), durations.collect());
    }
}
