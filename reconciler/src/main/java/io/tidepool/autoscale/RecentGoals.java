package io.tidepool.autoscale;

import io.tidepool.api.quantity.Cu;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A read-only view of what the leader has seen of one compute's goals: the latest sample, and the
 * goals of the last stabilisation window with their times. The autoscaler reads it, never changes it.
 */
public interface RecentGoals {

    /** When this leader began receiving samples for the compute; nothing before is known. */
    Instant observingSince();

    /** The goal of the newest sample, if any arrived. */
    Optional<Goal> latest();

    /** The highest goal among samples taken at or after {@code from}, if any were. */
    Optional<Peak> peakSince(Instant from);

    /**
     * The longest stretch of {@code [from, to]} without a sample: from {@code from} to the first
     * sample, between two samples, or from the last sample to {@code to}. The whole span when no
     * sample fell in it.
     */
    Duration longestGapBetween(Instant from, Instant to);

    /**
     * The highest goal of a window, the sample that asked for it and what that sample measured.
     *
     * @param observed the dominant measure, in the unit {@link Goal.Dimension#observedIn} uses
     */
    record Peak(Instant at, Cu goal, Goal.Dimension dominant, double observed) {
        /** Like "memory 2.1 GiB". */
        public String describe() {
            return dominant.describe(observed);
        }
    }
}
