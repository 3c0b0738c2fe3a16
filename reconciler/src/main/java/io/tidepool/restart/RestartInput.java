package io.tidepool.restart;

import io.tidepool.api.quantity.RestartWindow;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What the planned-restart decision sees of one endpoint.
 *
 * @param need                   what differs between the endpoint's Postgres and its primary's
 * @param window                 the endpoint's restart window; null means any time
 * @param prewarmLead            how long a replacement takes from start to warm
 * @param restartsInFlightInCell replacements running in the cell, this endpoint's included
 * @param maxRestartsInCell      the cell's limit on concurrent restarts
 */
public record RestartInput(RestartNeed need, RestartWindow window, Replacement replacement, Duration prewarmLead,
                           int restartsInFlightInCell, int maxRestartsInCell) {

    public RestartInput {
        Objects.requireNonNull(need, "need");
        Objects.requireNonNull(replacement, "replacement");
        Objects.requireNonNull(prewarmLead, "prewarmLead");
        if (prewarmLead.isNegative()) {
            throw new IllegalArgumentException("prewarm lead cannot be negative: " + prewarmLead);
        }
        if (restartsInFlightInCell < 0 || maxRestartsInCell < 0) {
            throw new IllegalArgumentException("restart counts cannot be negative: " + restartsInFlightInCell
                    + " in flight, limit " + maxRestartsInCell);
        }
    }

    public enum ReplacementState { NONE, STARTING, WARM }

    /** The endpoint's replacement compute, if any, and when it was started. */
    public record Replacement(ReplacementState state, Instant startedAt) {
        public static final Replacement NONE = new Replacement(ReplacementState.NONE, null);

        public Replacement {
            Objects.requireNonNull(state, "state");
            if ((state == ReplacementState.NONE) != (startedAt == null)) {
                throw new IllegalArgumentException("a replacement has a start time exactly when there is one: "
                        + state + " started at " + startedAt);
            }
        }

        public static Replacement starting(Instant startedAt) {
            return new Replacement(ReplacementState.STARTING, startedAt);
        }

        public static Replacement warm(Instant startedAt) {
            return new Replacement(ReplacementState.WARM, startedAt);
        }
    }
}
