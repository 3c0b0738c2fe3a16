package io.tidepool.server.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.tidepool.restart.RestartCause;
import io.tidepool.restart.RestartEnd;
import io.tidepool.restart.RestartObserver;
import java.time.Duration;
import java.util.List;

/**
 * Planned restarts started and finished in one term, and how long each took from its replacement's
 * start to the switch. The series of the causes a restart starts for exist from the term's start.
 */
final class RestartMetrics implements RestartObserver {
    /** A restart with no window switches in seconds; one with a window starts its prewarm lead (10 min) ahead. */
    private static final double[] SECONDS = {1, 2.5, 5, 10, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200};

    private final Counter started = Counter.builder()
            .name("tidepool_restarts_started_total")
            .help("Planned restarts started (their replacement created), by why: version or settings")
            .labelNames("reason")
            .build();
    private final Counter finished = Counter.builder()
            .name("tidepool_restarts_finished_total")
            .help("Planned restarts ended, by why and how: switched, retired, primary-gone or replacement-lost")
            .labelNames("reason", "outcome")
            .build();
    private final Histogram durations = Histogram.builder()
            .name("tidepool_restart_duration_seconds")
            .help("From a restart's replacement being created to the endpoint switching to it")
            .labelNames("reason")
            .classicUpperBounds(SECONDS)
            .build();

    RestartMetrics() {
        for (RestartCause cause : List.of(RestartCause.VERSION, RestartCause.SETTINGS)) {
            started.labelValues(cause.label());
            durations.labelValues(cause.label());
            for (RestartEnd end : RestartEnd.values()) {
                finished.labelValues(cause.label(), end.label());
            }
        }
    }

    @Override
    public void started(RestartCause cause) {
        started.labelValues(cause.label()).inc();
    }

    @Override
    public void switched(RestartCause cause, Duration took) {
        finished.labelValues(cause.label(), RestartEnd.SWITCHED.label()).inc();
        durations.labelValues(cause.label()).observe(Seconds.of(took));
    }

    @Override
    public void gaveUp(RestartCause cause, RestartEnd end) {
        finished.labelValues(cause.label(), end.label()).inc();
    }

    List<MetricSnapshot> collect() {
        return List.of(started.collect(), finished.collect(), durations.collect());
    }
}
