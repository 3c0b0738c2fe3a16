package io.tidepool.restart;

import java.time.Duration;

/**
 * What the planned-restart controller reports, for metrics, once each write is committed: a
 * restart starts when its replacement is created, and ends when the endpoint switches to it or
 * when it is given up. {@link #NONE} is for simulations and tests.
 */
public interface RestartObserver {
    RestartObserver NONE = new RestartObserver() {
    };

    /** A replacement was started for a restart. */
    default void started(RestartCause cause) {
    }

    /** The endpoint switched to its replacement, {@code took} after the replacement was created. */
    default void switched(RestartCause cause, Duration took) {
    }

    /** A restart was given up without a switch ({@code end} is never {@link RestartEnd#SWITCHED}). */
    default void gaveUp(RestartCause cause, RestartEnd end) {
    }
}
