package io.tidepool.sim.workload;

import java.time.Duration;
import java.time.Instant;

/**
 * A steady baseline with sudden bursts, like a batch report or a traffic spike. Time is cut into
 * buckets of {@code burstLength}; each bucket holds a burst with probability
 * {@code burstsPerHour x burstLength / 1h}, decided by hashing (seed, bucket) so that any instant
 * can be sampled on its own.
 *
 * @param burst what a burst adds on top of the baseline
 */
public record Spikes(Demand baseline, Demand burst, Duration burstLength, double burstsPerHour, long seed) implements Workload {

    public Spikes {
        if (burstLength.isNegative() || burstLength.isZero()) {
            throw new IllegalArgumentException("a burst must last some time, got " + burstLength);
        }
        if (!(burstsPerHour >= 0) || Double.isInfinite(burstsPerHour)) {
            throw new IllegalArgumentException("bursts per hour must be finite and not negative, got " + burstsPerHour);
        }
    }

    @Override
    public Demand at(Instant t) {
        return bursting(t) ? baseline.plus(burst) : baseline;
    }

    /** Whether {@code t} falls in a burst. */
    public boolean bursting(Instant t) {
        long bucket = Math.floorDiv(t.toEpochMilli(), burstLength.toMillis());
        return SeedHash.unit(seed, bucket) < burstChance();
    }

    private double burstChance() {
        return Math.min(1.0, burstsPerHour * burstLength.toMillis() / (double) Duration.ofHours(1).toMillis());
    }
}
