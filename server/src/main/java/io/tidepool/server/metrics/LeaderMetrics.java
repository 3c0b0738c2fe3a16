package io.tidepool.server.metrics;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.tidepool.control.ControlLoop;
import io.tidepool.registry.ResourceRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The series only the leader exposes: the fleet as its cache holds it ({@link FleetGauges}), the
 * apply sets ({@link ApplySetGauges}) and the counts of its term ({@link TermMetrics}). A node
 * that does not lead has no fleet cache and exposes none of them, rather than reading the store at
 * every scrape: scraping every node then gives each series exactly once, from the leader, so sums
 * across nodes are right as they are. Between terms (an election) the series are absent.
 */
final class LeaderMetrics implements MultiCollector {
    private record Term(TermMetrics metrics, ControlLoop loop) {
    }

    private final AtomicReference<Term> current = new AtomicReference<>();
    private final ApplySetGauges applySets;

    LeaderMetrics(ResourceRegistry registry) {
        this.applySets = new ApplySetGauges(registry);
    }

    void leading(TermMetrics metrics, ControlLoop loop) {
        current.set(new Term(metrics, loop));
    }

    void stoppedLeading(TermMetrics metrics) {
        Term ended = current.get();
        if (ended != null && ended.metrics() == metrics) {
            current.compareAndSet(ended, null);
        }
    }

    @Override
    public MetricSnapshots collect() {
        Term term = current.get();
        if (term == null) {
            return new MetricSnapshots();
        }
        List<MetricSnapshot> snapshots = new ArrayList<>();
        snapshots.add(new GaugeFamily("tidepool_leader_term_start_time_seconds",
                "When this node's current term of leadership began, in seconds since the epoch: its counters count from then")
                .add(term.metrics().start().toEpochMilli() / 1000.0).snapshot());
        snapshots.addAll(term.metrics().collect());
        snapshots.addAll(FleetGauges.of(term.loop()));
        snapshots.addAll(applySets.collect());
        return new MetricSnapshots(snapshots);
    }
}
