package io.tidepool.sim.workload;

import io.tidepool.api.agent.ComputeMetrics;
import io.tidepool.api.quantity.Cu;
import java.time.Duration;
import java.time.Instant;

/**
 * What a guest agent would measure in one compute running a {@link Workload}, given what the
 * compute is allocated. Stateful, like the kernel: it keeps the load average between ticks.
 *
 * <ul>
 *   <li>load1 is computed as Linux does: every 5 s, {@code load = load x e + n x (1 - e)} with
 *       {@code e = exp(-5s / 60s)}, where n is the runnable work. That is the demand, even above the
 *       allocation: tasks that queue for CPU are runnable, which is what makes the autoscaler grow
 *       the compute.</li>
 *   <li>memory used is the demand, up to the allocated memory; what does not fit is the shortfall
 *       ({@link #memoryShortfallBytes()}): memory pressure.</li>
 *   <li>the cache working set is the demand, up to what memory is left.</li>
 * </ul>
 */
public final class SimulatedUsage {
    /** How often Linux folds the runnable count into the load average. */
    static final Duration LOAD_SAMPLE = Duration.ofSeconds(5);
    private static final double LOAD1_WINDOW_SECONDS = 60;
    /** Beyond this, older demand weighs less than exp(-15) in load1: a long gap replays only its end. */
    private static final Duration REPLAY_LIMIT = Duration.ofMinutes(15);

    private final Workload workload;
    private Instant last;
    private double load1;
    private long memoryShortfallBytes;

    /** A compute that starts at {@code startedAt} with nothing runnable yet. */
    public SimulatedUsage(Workload workload, Instant startedAt) {
        this.workload = workload;
        this.last = startedAt;
    }

    /** Advances to {@code now} with {@code allocated} CU and returns what the guest agent reports. */
    public ComputeMetrics tick(Instant now, Cu allocated) {
        if (now.isBefore(last)) {
            throw new IllegalArgumentException("time only moves forward: " + now + " is before " + last);
        }
        advanceLoad(now);
        last = now;
        Demand demand = workload.at(now);
        long allocatedBytes = allocated.memory().value();
        long used = Math.min(demand.memoryBytes(), allocatedBytes);
        memoryShortfallBytes = demand.memoryBytes() - used;
        long cache = Math.min(demand.cacheBytes(), allocatedBytes - used);
        return new ComputeMetrics(now, load1, used, cache);
    }

    /** Working memory the last tick wanted beyond the allocation; above zero means memory pressure. */
    public long memoryShortfallBytes() {
        return memoryShortfallBytes;
    }

    public boolean underMemoryPressure() {
        return memoryShortfallBytes > 0;
    }

    private void advanceLoad(Instant now) {
        Instant from = last;
        Instant replayFrom = now.minus(REPLAY_LIMIT);
        if (from.isBefore(replayFrom)) {
            load1 *= decay(Duration.between(from, replayFrom));
            from = replayFrom;
        }
        while (from.isBefore(now)) {
            Duration step = Duration.between(from, now);
            step = step.compareTo(LOAD_SAMPLE) < 0 ? step : LOAD_SAMPLE;
            from = from.plus(step);
            double e = decay(step);
            load1 = load1 * e + workload.at(from).cpus() * (1 - e);
        }
    }

    private static double decay(Duration step) {
        return Math.exp(-(step.toNanos() / 1e9) / LOAD1_WINDOW_SECONDS);
    }
}
