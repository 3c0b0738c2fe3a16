package io.tidepool.manifests.sync;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/** A clock the test moves by hand (the reconciler's ManualClock, which this module cannot see). */
final class StepClock implements InstantSource {
    private Instant now;

    StepClock(Instant start) {
        this.now = start;
    }

    @Override
    public Instant instant() {
        return now;
    }

    void advance(Duration step) {
        now = now.plus(step);
    }
}
