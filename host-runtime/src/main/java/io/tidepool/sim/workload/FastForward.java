package io.tidepool.sim.workload;

import java.time.Duration;
import java.time.Instant;

/**
 * A workload played faster than the clock: from {@code origin} on, each second of real time is
 * {@code speed} seconds of the workload. Fleet tests step a manual clock and need none of this; a
 * demo on real time does, or a day's rhythm would take a day to show.
 */
public record FastForward(Workload workload, Instant origin, int speed) implements Workload {

    public FastForward {
        if (speed < 1) {
            throw new IllegalArgumentException("speed must be at least 1 (real time), got " + speed);
        }
    }

    @Override
    public Demand at(Instant t) {
        Duration elapsed = Duration.between(origin, t);
        return workload.at(origin.plus(elapsed.multipliedBy(speed)));
    }
}
