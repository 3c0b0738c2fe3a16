package io.tidepool.guest.metrics;

import java.time.Duration;
import java.time.Instant;

/**
 * The one-minute load average of one compute, as the kernel keeps it for a machine: an
 * exponentially decaying average of how many tasks are runnable, fed one count per sample. The
 * decay follows the time between samples, so irregular sampling gives the same average. Like the
 * kernel's, it starts at zero: a compute busy starting up (a crowd of runnable tasks for a moment)
 * does not look busy for the next minute.
 */
public final class LoadAverage {
    private static final double WINDOW_SECONDS = Duration.ofMinutes(1).toSeconds();

    private double value;
    private Instant last;

    /** Takes a count of runnable tasks (or CPUs busy) seen at {@code at}; returns the average after it. */
    public double add(Instant at, double runnable) {
        if (last == null) {
            value = 0;
        } else if (at.isAfter(last)) {
            double seconds = Duration.between(last, at).toNanos() / 1e9;
            double keep = Math.exp(-seconds / WINDOW_SECONDS);
            value = value * keep + runnable * (1 - keep);
        } else {
            return value;
        }
        last = at;
        return value;
    }

    public double value() {
        return value;
    }
}
