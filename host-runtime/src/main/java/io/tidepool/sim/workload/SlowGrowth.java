package io.tidepool.sim.workload;

import java.time.Duration;
import java.time.Instant;

/**
 * A tenant whose business grows: demand rises linearly by {@code perHour} from {@code since}, up to
 * {@code ceiling} (everything has a limit, a simulated tenant too). Before {@code since} it is
 * {@code initial}.
 */
public record SlowGrowth(Demand initial, Demand perHour, Instant since, Demand ceiling) implements Workload {
    private static final double MS_PER_HOUR = Duration.ofHours(1).toMillis();

    public SlowGrowth {
        if (!initial.atMost(ceiling).equals(initial)) {
            throw new IllegalArgumentException("the ceiling (" + ceiling + ") must be at least the initial demand (" + initial + ")");
        }
    }

    @Override
    public Demand at(Instant t) {
        double hours = Math.max(0, (t.toEpochMilli() - since.toEpochMilli()) / MS_PER_HOUR);
        // Each part is capped before it is added, so centuries of growth cannot overflow.
        return new Demand(
                Math.min(ceiling.cpus(), initial.cpus() + perHour.cpus() * hours),
                grown(initial.memoryBytes(), perHour.memoryBytes(), hours, ceiling.memoryBytes()),
                grown(initial.cacheBytes(), perHour.cacheBytes(), hours, ceiling.cacheBytes()));
    }

    private static long grown(long initialBytes, long perHourBytes, double hours, long ceilingBytes) {
        double grownBytes = initialBytes + perHourBytes * hours;
        return grownBytes >= ceilingBytes ? ceilingBytes : Math.round(grownBytes);
    }
}
