package io.tidepool.reconcile;

import java.time.Duration;

/** Exponential delay for the n-th consecutive failure of one key: {@code base * 2^(n-1)}, at most {@code max}. */
public record Backoff(Duration base, Duration max) {
    public static final Backoff DEFAULT = new Backoff(Duration.ofMillis(10), Duration.ofSeconds(60));

    public Backoff {
        if (base.isNegative() || base.isZero() || max.compareTo(base) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < base <= max, got " + base + " and " + max);
        }
    }

    public Duration after(int failures) {
        if (failures <= 0) {
            return Duration.ZERO;
        }
        int doublings = Math.min(failures - 1, 62);
        long maxNanos = max.toNanos();
        long nanos = base.toNanos();
        for (int i = 0; i < doublings && nanos < maxNanos; i++) {
            nanos *= 2;
        }
        return Duration.ofNanos(Math.min(nanos, maxNanos));
    }
}
