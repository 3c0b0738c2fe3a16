package io.tidepool.server.metrics;

import java.time.Duration;

/** Prometheus measures time in seconds, as a double. */
final class Seconds {
    private Seconds() {
    }

    static double of(Duration duration) {
        return duration.toNanos() / 1e9;
    }
}
