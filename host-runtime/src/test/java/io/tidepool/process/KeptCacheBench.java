package io.tidepool.process;

import io.tidepool.api.quantity.Cu;
import io.tidepool.api.resource.Compute;
import io.tidepool.api.resource.Endpoint;
import io.tidepool.api.resource.ObjectMeta;
import io.tidepool.guest.cgroup.CgroupLayout;
import io.tidepool.guest.cgroup.CgroupTree;
import io.tidepool.store.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The cost of a cold cache after a shrink-then-grow, driven by {@code bench/kept-cache.sh}: a real
 * compute at 0.5 CU reads a table larger than 0.25 CU can cache, shrinks to 0.25 CU and grows back,
 * then scans the table whole. Run as {@code KeptCacheBench DIR BLOCKS kept|cold}; prints one line,
 * tab-separated: the mode, then in ms the scan with the table cached before the shrink, the scan
 * started right after the growth, and with the cache kept also the scan after the load back
 * finished and how long the load back took from the growth; then the table's blocks resident right
 * after the growth, and the table's blocks.
 */
public final class KeptCacheBench {
    private static final Duration WAIT = Duration.ofMinutes(5);
    private static final Instant NOW = Instant.parse("2026-01-05T00:00:00Z");
    private static final Cu LARGE = Cu.ofQuarters(2);
    private static final Cu SMALL = Cu.ofQuarters(1);

    public static void main(String[] args) throws Exception {
        if (args.length != 3 || !(args[2].equals("kept") || args[2].equals("cold"))) {
            throw new IllegalArgumentException("usage: KeptCacheBench DIR BLOCKS kept|cold");
        }
        Path dir = Path.of(args[0]);
        long blocks = Long.parseLong(args[1]);
        boolean kept = args[2].equals("kept");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        CgroupTree tree = new CgroupTree(CgroupLayout.detect(), "tidepool-bench-" + UUID.randomUUID().toString().substring(0, 8));
        ProcessDriver.Settings settings = new ProcessDriver.Settings(dir, "tidepool", Optional.of(tree), WAIT);
        try (ProcessDriver driver = new ProcessDriver(kept ? settings : settings.withoutKeptCache())) {
            driver.start(new Compute(ObjectMeta.named("bench-1"), new Compute.Spec("bench", "h1", LARGE, Compute.Role.primary, 1,
                    new Endpoint.Postgres("15", Map.of())), null), NOW);
            Await.until(WAIT, "bench-1 running", () -> driver.observe("bench-1", NOW)
                    .map(o -> o.phase() == Compute.Phase.Running).orElse(false));
            HotTable table = HotTable.create(driver.server("bench-1").orElseThrow(), "hot", blocks);
            table.scan();
            double warmMs = timedScan(table);

            shrinkThenGrow(driver);
            long residentAfterGrowth = table.residentBlocks();
            double rightAfterMs = timedScan(table);
            StringBuilder line = new StringBuilder(String.format("%s\t%.0f\t%.0f", args[2], warmMs, rightAfterMs));
            if (kept) {
                // The scan above raced the load back: let that one end, then time both on their own.
                Await.until(WAIT, "the load back finished", () -> driver.cacheRefill("bench-1").map(CacheKeeping.Refill::finished)
                        .orElse(false));
                shrinkThenGrow(driver);
                long grownNanos = System.nanoTime();
                Await.until(WAIT, "the load back finished", () -> driver.cacheRefill("bench-1").map(CacheKeeping.Refill::finished)
                        .orElse(false));
                double refillMs = (System.nanoTime() - grownNanos) / 1e6;
                line.append(String.format("\t%.0f\t%.0f", timedScan(table), refillMs));
            } else {
                line.append("\t-\t-");
            }
            System.out.println(line.append('\t').append(residentAfterGrowth).append('\t').append(blocks));
        }
    }

    private static void shrinkThenGrow(ProcessDriver driver) {
        for (Cu size : new Cu[] {SMALL, LARGE}) {
            var outcome = driver.resize("bench-1", size, NOW);
            if (outcome.refused()) {
                throw new IllegalStateException("resize to " + size + " CU refused: " + outcome.explanation());
            }
        }
    }

    private static double timedScan(HotTable table) throws Exception {
        long startNanos = System.nanoTime();
        table.scan();
        return (System.nanoTime() - startNanos) / 1e6;
    }
}
