package io.tidepool.server.metrics;

import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.tidepool.control.ControlObservers;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The counters and histograms of one term of leadership: what the controllers decided and how
 * their queues fared, from zero. They are soft state like the rest of the term (a new leader's
 * controllers start afresh, so do their counts), and a node shows them only while it leads: a
 * scrape sees a counter reset at each new term, which {@code rate()} and {@code increase()} take
 * in their stride, and {@code tidepool_leader_term_start_time_seconds} says when it happened.
 */
public final class TermMetrics {
    private final Instant start;
    private final ControllerMetrics controllers = new ControllerMetrics();
    private final ScalingMetrics scaling = new ScalingMetrics();
    private final MigrationMetrics migrations = new MigrationMetrics();
    private final RestartMetrics restarts = new RestartMetrics();

    TermMetrics(Instant start) {
        this.start = start;
    }

    /** What the term's control loop reports to. */
    public ControlObservers observers() {
        return new ControlObservers(controllers, scaling, migrations, restarts);
    }

    Instant start() {
        return start;
    }

    List<MetricSnapshot> collect() {
        List<MetricSnapshot> snapshots = new ArrayList<>(controllers.collect());
        snapshots.addAll(scaling.collect());
        snapshots.addAll(migrations.collect());
        snapshots.addAll(restarts.collect());
        return snapshots;
    }
}
