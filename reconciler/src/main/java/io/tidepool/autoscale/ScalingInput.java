package io.tidepool.autoscale;

import io.tidepool.api.agent.UpscaleRequest;
import io.tidepool.api.quantity.Cu;
import java.time.Instant;
import java.util.Objects;

/**
 * What the autoscaler knows about one compute when it decides.
 *
 * @param minCu         the endpoint's lower bound
 * @param maxCu         the endpoint's upper bound, at least minCu
 * @param granted       the compute's {@code spec.cu}: the size admission granted
 * @param applied       the compute's {@code status.cu}: the size its host confirmed, or null before
 *                      the first report
 * @param goals         the goals the leader has seen for the compute, read only
 * @param lastRefusalAt when the guest last refused a downscale, or null if never (as far as known)
 * @param request       the guest's latest call for memory not yet answered, or null
 * @param lastPressureAt  when the guest last called for memory, answered or not, or null if never
 *                      (as far as known): the call counts in the stabilisation window, since the
 *                      once-a-second metrics may never have seen what the guest caught in milliseconds
 */
public record ScalingInput(Cu minCu, Cu maxCu, Cu granted, Cu applied, RecentGoals goals, Instant lastRefusalAt,
                           UpscaleRequest request, Instant lastPressureAt) {

    public ScalingInput {
        Objects.requireNonNull(minCu, "minCu");
        Objects.requireNonNull(maxCu, "maxCu");
        Objects.requireNonNull(granted, "granted");
        Objects.requireNonNull(goals, "goals");
        if (minCu.compareTo(maxCu) > 0) {
            throw new IllegalArgumentException("minCu " + minCu + " is above maxCu " + maxCu);
        }
    }

    public ScalingInput(Cu minCu, Cu maxCu, Cu granted, Cu applied, RecentGoals goals, Instant lastRefusalAt) {
        this(minCu, maxCu, granted, applied, goals, lastRefusalAt, null, null);
    }

    /** {@code cu} moved into [minCu, maxCu]. */
    public Cu clamp(Cu cu) {
        return cu.max(minCu).min(maxCu);
    }
}
