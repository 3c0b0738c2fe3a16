package io.tidepool.server.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.tidepool.autoscale.ScalingDecision;
import io.tidepool.autoscale.ScalingObserver;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/** The autoscaler's decisions of one term, and how long its upscales took to reach their computes. */
final class ScalingMetrics implements ScalingObserver {
    /**
     * Fine around the 50 ms goal of DESIGN section 11 (pressure to relief, p99), so that the share
     * of upscales within it is one bucket's ratio; coarse beyond, up to a host agent that is slow
     * or cut off.
     */
    private static final double[] UPSCALE_SECONDS = {0.005, 0.01, 0.02, 0.03, 0.04, 0.05, 0.075, 0.1, 0.15, 0.25,
            0.5, 1, 2.5, 5, 10, 30};

    private final Counter decisions = Counter.builder()
            .name("tidepool_scaling_decisions_total")
            .help("Autoscaler decisions acted on, by direction (up, down, hold) and reason: a change once committed,"
                    + " a hold each time it looked at a compute and left it")
            .labelNames("direction", "reason")
            .build();
    private final Histogram upscales = Histogram.builder()
            .name("tidepool_upscale_duration_seconds")
            .help("From the guest's call for memory reaching the leader (or the autoscaler's decision, for upscales"
                    + " load drove) to the leader seeing the host agent report the granted size in Compute.status.cu")
            .labelNames("reason")
            .classicUpperBounds(UPSCALE_SECONDS)
            .build();

    @Override
    public void decided(ScalingDecision.Direction direction, ScalingDecision.Reason reason) {
        decisions.labelValues(direction.name().toLowerCase(Locale.ROOT), reason.label()).inc();
    }

    @Override
    public void upscaleConfirmed(ScalingDecision.Reason reason, Duration took) {
        upscales.labelValues(reason.label()).observe(Seconds.of(took));
    }

    List<MetricSnapshot> collect() {
        return List.of(decisions.collect(), upscales.collect());
    }
}
