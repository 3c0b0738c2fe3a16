package io.tidepool.sim.workload;

/**
 * What a tenant's database asks of its compute at one instant.
 *
 * @param cpus        runnable work, in vCPUs; may exceed what the compute is given (then it queues)
 * @param memoryBytes working memory: backends, sorts, hash tables; not reclaimable
 * @param cacheBytes  the page cache working set: pages it keeps reading and would re-read from storage
 */
public record Demand(double cpus, long memoryBytes, long cacheBytes) {
    public static final Demand NONE = new Demand(0, 0, 0);
    static final long MIB = 1L << 20;
    static final long GIB = 1L << 30;

    public Demand {
        if (!(cpus >= 0) || Double.isInfinite(cpus) || memoryBytes < 0 || cacheBytes < 0) {
            throw new IllegalArgumentException("demand must be finite and not negative: " + cpus + " vCPUs, "
                    + memoryBytes + " bytes, " + cacheBytes + " bytes of cache");
        }
    }

    public static Demand ofMebibytes(double cpus, long memoryMib, long cacheMib) {
        return new Demand(cpus, memoryMib * MIB, cacheMib * MIB);
    }

    public Demand plus(Demand other) {
        return new Demand(cpus + other.cpus, Math.addExact(memoryBytes, other.memoryBytes), Math.addExact(cacheBytes, other.cacheBytes));
    }

    /** This demand times {@code factor} (at least 0). */
    public Demand times(double factor) {
        return new Demand(cpus * factor, Math.round(memoryBytes * factor), Math.round(cacheBytes * factor));
    }

    /** The smaller of each part. */
    public Demand atMost(Demand ceiling) {
        return new Demand(Math.min(cpus, ceiling.cpus), Math.min(memoryBytes, ceiling.memoryBytes), Math.min(cacheBytes, ceiling.cacheBytes));
    }

    /** The demand a fraction {@code f} in [0, 1] of the way from {@code from} to {@code to}, part by part. */
    public static Demand between(Demand from, Demand to, double f) {
        // A weighted sum, clamped: exact at both ends, and never outside them by a rounding error.
        double cpus = Math.max(Math.min(from.cpus, to.cpus), Math.min(Math.max(from.cpus, to.cpus), from.cpus * (1 - f) + to.cpus * f));
        return new Demand(cpus,
                from.memoryBytes + Math.round((to.memoryBytes - from.memoryBytes) * f),
                from.cacheBytes + Math.round((to.cacheBytes - from.cacheBytes) * f));
    }

    @Override
    public String toString() {
        return String.format("%.2f vCPU, %d MiB memory, %d MiB cache", cpus, memoryBytes / MIB, cacheBytes / MIB);
    }
}
