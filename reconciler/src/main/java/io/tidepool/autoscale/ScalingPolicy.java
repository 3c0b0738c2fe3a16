package io.tidepool.autoscale;

import java.time.Duration;

/**
 * How the autoscaler turns metrics into a size, and how cautious it is about shrinking. The targets
 * are Neon's: a compute is big enough when load1 is at most 90% of its vCPUs and both the memory in
 * use and the cache working set are at most 75% of its memory.
 *
 * @param cpuTarget           the share of the vCPUs that load1 may reach, in (0, 2)
 * @param memoryTarget        the share of the memory that the memory in use may reach, in (0, 1]
 * @param cacheTarget         the share of the memory that the cache working set may reach, in (0, 1]
 * @param stabilisationWindow a downscale needs this long of watched metrics that all agree with it
 * @param metricsMaxAge       a sample older than this is stale; also the longest gap between samples
 *                            that still counts as watched; at most the stabilisation window
 * @param refusalBackoff      after a guest refused a downscale, no new downscale for this long
 */
public record ScalingPolicy(double cpuTarget, double memoryTarget, double cacheTarget,
        Duration stabilisationWindow, Duration metricsMaxAge, Duration refusalBackoff) {

    public static final ScalingPolicy DEFAULT = new ScalingPolicy(0.9, 0.75, 0.75,
            Duration.ofMinutes(5), Duration.ofSeconds(30), Duration.ofMinutes(2));

    public ScalingPolicy {
        // Neon accepts a load fraction below 2 (a compute may be asked to run above its vCPUs).
        if (!(cpuTarget > 0 && cpuTarget < 2)) {
            throw new IllegalArgumentException("cpuTarget must be in (0, 2), got " + cpuTarget);
        }
        if (!(memoryTarget > 0 && memoryTarget <= 1)) {
            throw new IllegalArgumentException("memoryTarget must be in (0, 1], got " + memoryTarget);
        }
        if (!(cacheTarget > 0 && cacheTarget <= 1)) {
            throw new IllegalArgumentException("cacheTarget must be in (0, 1], got " + cacheTarget);
        }
        requirePositive("stabilisationWindow", stabilisationWindow);
        requirePositive("metricsMaxAge", metricsMaxAge);
        if (refusalBackoff == null || refusalBackoff.isNegative()) {
            throw new IllegalArgumentException("refusalBackoff cannot be negative, got " + refusalBackoff);
        }
        // A window shorter than the staleness bound could hold no fresh sample to vouch for it.
        if (metricsMaxAge.compareTo(stabilisationWindow) > 0) {
            throw new IllegalArgumentException("metricsMaxAge " + metricsMaxAge
                    + " cannot be longer than stabilisationWindow " + stabilisationWindow);
        }
    }

    private static void requirePositive(String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }

    public ScalingPolicy withStabilisationWindow(Duration window) {
        return new ScalingPolicy(cpuTarget, memoryTarget, cacheTarget, window, metricsMaxAge, refusalBackoff);
    }

    public ScalingPolicy withMetricsMaxAge(Duration maxAge) {
        return new ScalingPolicy(cpuTarget, memoryTarget, cacheTarget, stabilisationWindow, maxAge, refusalBackoff);
    }

    public ScalingPolicy withRefusalBackoff(Duration backoff) {
        return new ScalingPolicy(cpuTarget, memoryTarget, cacheTarget, stabilisationWindow, metricsMaxAge, backoff);
    }
}
