package io.tidepool.guest.pressure;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;

/**
 * How long memory pressure lasted before relief: from the first reading at or over the threshold
 * to the first reading with a larger limit. Keeps the latest {@code capacity} times, for the
 * pressure-to-relief benchmark and the agent's metrics. Pure; not thread-safe.
 */
public final class ReliefTimes {
    private final long[] nanos;
    private int count;
    private long total;
    private Instant pressureSince;
    private long limitAtPressure;

    public ReliefTimes(int capacity) {
        this.nanos = new long[capacity];
    }

    /** One reading: whether it shows pressure, and the limit then. */
    public void observe(Instant at, long limitBytes, boolean pressure) {
        if (pressureSince != null && limitBytes > limitAtPressure) {
            nanos[(int) (total % nanos.length)] = Duration.between(pressureSince, at).toNanos();
            total++;
            count = (int) Math.min(total, nanos.length);
            pressureSince = null;
        }
        if (pressure && pressureSince == null) {
            pressureSince = at;
            limitAtPressure = limitBytes;
        } else if (!pressure && pressureSince != null && !at.isBefore(pressureSince)) {
            // Memory was freed before any raise came: no relief to time.
            pressureSince = null;
        }
    }

    /** Whether no pressure is being timed: a reading without pressure then changes nothing. */
    public boolean idle() {
        return pressureSince == null;
    }

    /** How many reliefs were timed in all. */
    public long total() {
        return total;
    }

    /** The latest relief times, in nanoseconds, sorted. */
    public long[] sortedNanos() {
        long[] copy = Arrays.copyOf(nanos, count);
        Arrays.sort(copy);
        return copy;
    }
}
