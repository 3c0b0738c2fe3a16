package io.tidepool.autoscale;

import io.tidepool.api.agent.ComputeMetrics;
import io.tidepool.api.quantity.Cu;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Objects;

/**
 * The size one metrics sample asks for, before the compute's bounds: for each of CPU, memory and
 * cache the smallest whole number of quarter steps that keeps it at or below its target, and which
 * of the three asks most. Build it with {@link #of}.
 *
 * @param cpu    load1 / cpuTarget vCPUs, rounded up to a quarter
 * @param memory memory in use / memoryTarget, in CU, rounded up to a quarter
 * @param cache  cache working set / cacheTarget, in CU, rounded up to a quarter
 */
public record Goal(ComputeMetrics sample, ScalingPolicy policy, Cu cpu, Cu memory, Cu cache) {
    /** The largest goal held, far above any real compute: an absurd load1 must not overflow anything. */
    public static final long MAX_QUARTERS = Integer.MAX_VALUE;
    private static final double BYTES_PER_GIB = 1L << 30;
    // Goals are quotients of doubles: 1.8 / 0.9 must ask for 2 CU, not 2.25 for a rounding error.
    private static final double ROUNDING_SLACK_QUARTERS = 1e-9;

    /** What a goal can be driven by; the label is the decision's reason. */
    public enum Dimension {
        CPU("cpu"), MEMORY("memory"), CACHE("cache");

        private final String label;

        Dimension(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        /** The measure this dimension reads, in the unit it is shown in: load1, or GiB. */
        public double observedIn(ComputeMetrics sample) {
            return switch (this) {
                case CPU -> sample.load1();
                case MEMORY -> sample.memoryUsedBytes() / BYTES_PER_GIB;
                case CACHE -> sample.cacheWorkingSetBytes() / BYTES_PER_GIB;
            };
        }

        /** Like "load1 1.7" or "memory 2.1 GiB". */
        public String describe(double observed) {
            return describe(observed, RoundingMode.HALF_UP);
        }

        String describe(double observed, RoundingMode rounding) {
            String amount = decimal(observed, rounding);
            return this == CPU ? "load1 " + amount : label + " " + amount + " GiB";
        }
    }

    public Goal {
        Objects.requireNonNull(sample, "sample");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(cpu, "cpu");
        Objects.requireNonNull(memory, "memory");
        Objects.requireNonNull(cache, "cache");
    }

    public static Goal of(ComputeMetrics sample, ScalingPolicy policy) {
        return new Goal(sample, policy,
                roundedUp(sample.load1() / policy.cpuTarget()),
                roundedUp(sample.memoryUsedBytes() / policy.memoryTarget() / Cu.MEMORY_BYTES_PER_CU),
                roundedUp(sample.cacheWorkingSetBytes() / policy.cacheTarget() / Cu.MEMORY_BYTES_PER_CU));
    }

    private static Cu roundedUp(double cu) {
        double quarters = Math.ceil(cu * 4 - ROUNDING_SLACK_QUARTERS);
        return Cu.ofQuarters((long) Math.min(Math.max(quarters, 0), MAX_QUARTERS));
    }

    /** The size this sample asks for: the largest of the three goals, not yet within any bounds. */
    public Cu total() {
        return cpu.max(memory).max(cache);
    }

    /** The dimension asking for the most; on a tie the first of CPU, memory, cache. */
    public Dimension dominant() {
        Cu total = total();
        if (cpu.equals(total)) {
            return Dimension.CPU;
        }
        return memory.equals(total) ? Dimension.MEMORY : Dimension.CACHE;
    }

    /** The dominant measure, like "memory 2.1 GiB". */
    public String observed() {
        Dimension dominant = dominant();
        return dominant.describe(dominant.observedIn(sample));
    }

    /**
     * Why this sample does not fit {@code size}, like "load1 1.7 > 0.9 x 1 vCPU" or "memory 3.2 GiB >
     * 75% of 4 GiB". The measure is rounded up so that the comparison shown is never false.
     */
    public String whyAbove(Cu size) {
        Dimension dominant = dominant();
        String measure = dominant.describe(dominant.observedIn(sample), RoundingMode.UP);
        if (dominant == Dimension.CPU) {
            return measure + " > " + decimal(policy.cpuTarget(), RoundingMode.HALF_UP) + " x " + size + " vCPU";
        }
        double target = dominant == Dimension.MEMORY ? policy.memoryTarget() : policy.cacheTarget();
        return measure + " > " + decimal(target * 100, RoundingMode.HALF_UP) + "% of "
                + decimal(size.memory().value() / BYTES_PER_GIB, RoundingMode.HALF_UP) + " GiB";
    }

    /** At most two decimals, no trailing zeros: 1.7, 0.25, 75. */
    static String decimal(double value, RoundingMode rounding) {
        if (!Double.isFinite(value)) {
            return String.valueOf(value);
        }
        return BigDecimal.valueOf(value).setScale(2, rounding).stripTrailingZeros().toPlainString();
    }
}
