package io.tidepool.sim.workload;

import java.time.Duration;
import java.time.Instant;

/**
 * A business-hours tenant: demand follows a 24-hour sine (UTC) between {@code trough} and
 * {@code peak}, highest at {@code peakTimeOfDay} and lowest twelve hours later.
 */
public record Diurnal(Demand trough, Demand peak, Duration peakTimeOfDay) implements Workload {
    private static final long DAY_MS = Duration.ofDays(1).toMillis();

    public Diurnal {
        if (peakTimeOfDay.isNegative() || peakTimeOfDay.toMillis() >= DAY_MS) {
            throw new IllegalArgumentException("the peak must be a time of day in [0, 24h), got " + peakTimeOfDay);
        }
    }

    @Override
    public Demand at(Instant t) {
        double phase = Math.floorMod(t.toEpochMilli() - peakTimeOfDay.toMillis(), DAY_MS) / (double) DAY_MS;
        double towardsPeak = (1 + Math.cos(2 * Math.PI * phase)) / 2;
        return Demand.between(trough, peak, towardsPeak);
    }
}
