package io.tidepool.sim.workload;

import java.time.Duration;
import java.time.Instant;

/**
 * A baseline plus a periodic job (an index build, a big sort, a nightly aggregate) that grows its
 * working memory linearly to {@code jobMemoryBytes} over {@code rampUp}, holds it for {@code hold},
 * then frees it all at once. Once every {@code period}, starting at {@code start}.
 */
public record MemoryHungry(Demand baseline, double jobCpus, long jobMemoryBytes, Duration period, Duration rampUp,
                           Duration hold, Duration start) implements Workload {

    public MemoryHungry {
        if (!(jobCpus >= 0) || Double.isInfinite(jobCpus) || jobMemoryBytes < 0) {
            throw new IllegalArgumentException("a job's CPUs and memory must be finite and not negative");
        }
        if (rampUp.isNegative() || hold.isNegative() || period.compareTo(rampUp.plus(hold)) < 0 || period.isZero()) {
            throw new IllegalArgumentException("the job's ramp-up (" + rampUp + ") and hold (" + hold
                    + ") must fit in its period (" + period + ")");
        }
    }

    @Override
    public Demand at(Instant t) {
        long intoPeriod = Math.floorMod(t.toEpochMilli() - start.toMillis(), period.toMillis());
        long rampMs = rampUp.toMillis();
        if (intoPeriod < rampMs) {
            return baseline.plus(new Demand(jobCpus, Math.round(jobMemoryBytes * (intoPeriod / (double) rampMs)), 0));
        }
        if (intoPeriod < rampMs + hold.toMillis()) {
            return baseline.plus(new Demand(jobCpus, jobMemoryBytes, 0));
        }
        return baseline;
    }
}
