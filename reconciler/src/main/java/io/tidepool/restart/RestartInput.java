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

    /** FAILING: its host cannot run it, and has said so since {@code failingSince}, through its driver's retries. */
    public enum ReplacementState { NONE, STARTING, WARM, FAILING }

    /**
     * The endpoint's replacement compute, if any, and when it was started; a failing one also says
     * since when and why, and how many replacements were given up before it since the primary
     * started (each doubles how long the next may fail: a replacement that can never run, such as
     * one its driver refuses, is not replaced every two minutes).
     */
    public record Replacement(ReplacementState state, Instant startedAt, Instant failingSince, String failure,
                              int givenUpBefore) {
        public static final Replacement NONE = new Replacement(ReplacementState.NONE, null, null, null, 0);

        public Replacement {
            Objects.requireNonNull(state, "state");
            if ((state == ReplacementState.NONE) != (startedAt == null)) {
                throw new IllegalArgumentException("a replacement has a start time exactly when there is one: "
                        + state + " started at " + startedAt);
            }
            if ((state == ReplacementState.FAILING) != (failingSince != null && failure != null)) {
                throw new IllegalArgumentException("a replacement has a failure and its time exactly when it is failing: "
                        + state + ", failing since " + failingSince + ": " + failure);
            }
            if (givenUpBefore < 0) {
                throw new IllegalArgumentException("replacements given up cannot be negative: " + givenUpBefore);
            }
        }

        public static Replacement starting(Instant startedAt) {
            return new Replacement(ReplacementState.STARTING, startedAt, null, null, 0);
        }

        public static Replacement warm(Instant startedAt) {
            return new Replacement(ReplacementState.WARM, startedAt, null, null, 0);
        }

        public static Replacement failing(Instant startedAt, Instant failingSince, String failure, int givenUpBefore) {
            return new Replacement(ReplacementState.FAILING, startedAt, failingSince, failure, givenUpBefore);
        }
    }
}
