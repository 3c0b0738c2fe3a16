package io.tidepool.autoscale;

import java.time.Duration;

/**
 * What the autoscaler reports, for metrics. Soft state of one term of leadership: a new leader's
 * autoscaler starts reporting afresh. {@link #NONE} is for simulations and tests.
 */
public interface ScalingObserver {
    ScalingObserver NONE = new ScalingObserver() {
    };

    /**
     * A decision the autoscaler acted on: an upscale or a downscale once it is committed to the
     * store (a write that lost a race is decided again and counted once), a hold each time it
     * looked at a compute and left it as it was.
     */
    default void decided(ScalingDecision.Direction direction, ScalingDecision.Reason reason) {
    }

    /**
     * An upscale reached its compute: {@code took} runs, on the leader's clock, from the guest's
     * call for memory reaching the leader (or, for an upscale that load or metrics drove, from
     * the autoscaler's decision) until the leader saw the host agent report the granted size in
     * {@code Compute.status.cu}.
     */
    default void upscaleConfirmed(ScalingDecision.Reason reason, Duration took) {
    }
}
