package io.tidepool.sim.workload;

import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;

/**
 * A realistic fleet, decided by a seed: each endpoint name gets a workload model with parameters
 * drawn from a generator seeded by (seed, name), so an endpoint keeps its workload however many
 * others there are and in whatever order they are asked for. The mix follows what serverless
 * Postgres fleets report: most databases idle or small, some with a daily rhythm, few heavy.
 *
 * <pre>
 *   50% idle            12% small diurnal     10% spikes
 *    8% memory-hungry    8% slow growth       12% heavy diurnal (3 to 8 vCPUs at peak)
 * </pre>
 *
 * @param start when the simulation starts: slow growth is counted from here
 */
public record Workloads(long seed, Instant start) {

    public static Workloads mix(long seed) {
        return mix(seed, Instant.EPOCH);
    }

    public static Workloads mix(long seed, Instant start) {
        return new Workloads(seed, start);
    }

    /** The workload of {@code endpoint}: the same for the same seed and name, always. */
    public Workload of(String endpoint) {
        SplittableRandom random = new SplittableRandom(SeedHash.mix(seed, SeedHash.of(endpoint)));
        double roll = random.nextDouble();
        if (roll < 0.50) {
            return idle(random);
        } else if (roll < 0.62) {
            return diurnal(random, 0.3, 1.0);
        } else if (roll < 0.72) {
            return spikes(random);
        } else if (roll < 0.80) {
            return memoryHungry(random);
        } else if (roll < 0.88) {
            return slowGrowth(random);
        }
        return diurnal(random, 3, 8);
    }

    private static Idle idle(SplittableRandom random) {
        return new Idle(Demand.ofMebibytes(between(random, 0.005, 0.05), random.nextLong(100, 300), random.nextLong(20, 200)));
    }

    private static Diurnal diurnal(SplittableRandom random, double peakCpusFrom, double peakCpusTo) {
        double peakCpus = between(random, peakCpusFrom, peakCpusTo);
        // Memory and cache follow the load: roughly 1.5 GiB of working memory and 3 GiB of hot pages per busy vCPU.
        Demand peak = new Demand(peakCpus, Math.round(peakCpus * 1.5 * Demand.GIB), Math.round(peakCpus * between(random, 1, 4) * Demand.GIB));
        Demand trough = peak.times(between(random, 0.05, 0.3));
        Duration peakAt = Duration.ofMinutes(random.nextLong(0, 24 * 60));
        return new Diurnal(trough, peak, peakAt);
    }

    private static Spikes spikes(SplittableRandom random) {
        Demand baseline = Demand.ofMebibytes(between(random, 0.05, 0.3), random.nextLong(200, 800), random.nextLong(200, 1_000));
        Demand burst = Demand.ofMebibytes(between(random, 1, 4), random.nextLong(256, 2_048), random.nextLong(0, 1_024));
        return new Spikes(baseline, burst, Duration.ofMinutes(random.nextLong(2, 11)), between(random, 0.25, 3), random.nextLong());
    }

    private static MemoryHungry memoryHungry(SplittableRandom random) {
        Demand baseline = Demand.ofMebibytes(between(random, 0.1, 0.5), random.nextLong(300, 1_000), random.nextLong(200, 2_000));
        Duration period = Duration.ofHours(random.nextLong(2, 7));
        return new MemoryHungry(baseline, between(random, 0.5, 2), random.nextLong(3, 11) * Demand.GIB, period,
                Duration.ofMinutes(random.nextLong(10, 31)), Duration.ofMinutes(random.nextLong(5, 21)),
                Duration.ofMinutes(random.nextLong(0, period.toMinutes())));
    }

    private SlowGrowth slowGrowth(SplittableRandom random) {
        Demand initial = Demand.ofMebibytes(between(random, 0.05, 0.3), random.nextLong(200, 600), random.nextLong(200, 1_000));
        Demand perHour = Demand.ofMebibytes(between(random, 0.01, 0.05), random.nextLong(20, 101), random.nextLong(50, 201));
        return new SlowGrowth(initial, perHour, start, new Demand(4, 16 * Demand.GIB, 24 * Demand.GIB));
    }

    private static double between(SplittableRandom random, double from, double to) {
        return from + (to - from) * random.nextDouble();
    }
}
