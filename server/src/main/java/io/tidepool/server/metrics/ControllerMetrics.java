package io.tidepool.server.metrics;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.tidepool.reconcile.ControllerObserver;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The work queue and reconcile metrics of every controller of one term, as controller-runtime
 * exposes them: keys added, retries, how long keys were due before a worker took them, reconciles
 * by result and how long they took. Each controller's series exist from its start, at zero.
 */
final class ControllerMetrics implements Function<String, ControllerObserver> {
    /** From half a millisecond (a cache read and no write) to a minute (a stuck store). */
    private static final double[] SECONDS = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5,
            5, 10, 30, 60};

    private final Counter adds = Counter.builder()
            .name("tidepool_workqueue_adds_total")
            .help("Keys queued for a controller that were not queued already (a delayed key counts when it falls due)")
            .labelNames("controller")
            .build();
    private final Counter retries = Counter.builder()
            .name("tidepool_workqueue_retries_total")
            .help("Keys queued again after their reconcile failed, with per-key exponential backoff")
            .labelNames("controller")
            .build();
    private final Histogram waits = Histogram.builder()
            .name("tidepool_workqueue_queue_duration_seconds")
            .help("How long a key was due before a worker took it")
            .labelNames("controller")
            .classicUpperBounds(SECONDS)
            .build();
    private final Counter reconciles = Counter.builder()
            .name("tidepool_reconcile_total")
            .help("Reconciles by result: done, requeue (look again after a delay) or error (retried with backoff)")
            .labelNames("controller", "result")
            .build();
    private final Histogram durations = Histogram.builder()
            .name("tidepool_reconcile_duration_seconds")
            .help("How long one reconcile took")
            .labelNames("controller")
            .classicUpperBounds(SECONDS)
            .build();

    @Override
    public ControllerObserver apply(String controller) {
        Map<ControllerObserver.Outcome, CounterDataPoint> byOutcome = new EnumMap<>(ControllerObserver.Outcome.class);
        for (ControllerObserver.Outcome outcome : ControllerObserver.Outcome.values()) {
            byOutcome.put(outcome, reconciles.labelValues(controller, outcome.label()));
        }
        return new Observer(adds.labelValues(controller), retries.labelValues(controller), waits.labelValues(controller),
                byOutcome, durations.labelValues(controller));
    }

    List<MetricSnapshot> collect() {
        return List.of(adds.collect(), retries.collect(), waits.collect(), reconciles.collect(), durations.collect());
    }

    /** One controller's series, looked up once: a reconcile costs no label lookup. */
    private record Observer(CounterDataPoint adds, CounterDataPoint retries, DistributionDataPoint waits,
                            Map<ControllerObserver.Outcome, CounterDataPoint> reconciles, DistributionDataPoint durations)
            implements ControllerObserver {
        @Override
        public void added() {
            adds.inc();
        }

        @Override
        public void retried() {
            retries.inc();
        }

        @Override
        public void waited(Duration waited) {
            waits.observe(Seconds.of(waited));
        }

        @Override
        public void reconciled(Outcome outcome, Duration took) {
            reconciles.get(outcome).inc();
            durations.observe(Seconds.of(took));
        }
    }
}
