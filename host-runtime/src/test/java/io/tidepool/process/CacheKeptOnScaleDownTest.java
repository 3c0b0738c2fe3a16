package io.tidepool.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tidepool.api.quantity.Cu;
import io.tidepool.api.resource.Compute;
import io.tidepool.api.resource.Endpoint;
import io.tidepool.api.resource.ObjectMeta;
import io.tidepool.guest.cgroup.CgroupLayout;
import io.tidepool.guest.cgroup.CgroupTree;
import io.tidepool.postgres.PostgresBinaries;
import io.tidepool.postgres.SizedSettings;
import io.tidepool.store.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A compute reads a table larger than its smaller size can cache, shrinks from 1 CU (4 GiB) to
 * 0.25 CU (1 GiB), which evicts part of it from the page cache, and grows back: with its cache
 * kept, the table is in the page cache again without any query reading it; without, it stays as the
 * shrink left it. Measured by mincore on the table's files, never by time. Real Postgres in real
 * cgroups; skipped, saying why, where the machine lacks them.
 */
@Timeout(600)
class CacheKeptOnScaleDownTest {
    private static final Logger log = LoggerFactory.getLogger(CacheKeptOnScaleDownTest.class);
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final Instant NOW = Instant.parse("2026-01-05T00:00:00Z");
    private static final Cu LARGE = Cu.ofQuarters(4);
    private static final Cu SMALL = Cu.ofQuarters(1);
    /** 1.15 GiB: all of it fits the page cache at 4 GiB, not at 1 GiB. */
    private static final long TABLE_BLOCKS = 150_000;
    private static CgroupLayout layout;

    @TempDir
    Path scratch;
    private ProcessDriver driver;

    @BeforeAll
    static void needsPostgresAndCgroups() throws Exception {
        assumeTrue(PostgresBinaries.find("15").isPresent(), "needs Postgres 15 (postgresql-15, or postgres 15 on PATH)");
        layout = CgroupLayout.detect();
        assumeTrue(layout.version() != CgroupLayout.Version.NONE, "needs cgroups with the cpu and memory controllers");
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root to make cgroups and run computes as their own user");
    }

    @AfterEach
    void stopDriver() {
        if (driver != null) {
            driver.close(); // stops every compute and removes the test's cgroups
        }
    }

    @Test
    void aShrinkThenGrowLoadsTheEvictedPagesBackIntoThePageCache() throws Exception {
        HotTable table = readTableAtTheLargerSize(UnaryOperator.identity());
        long cached = table.residentBlocks();
        long afterShrink = resize(SMALL, table);

        resize(LARGE, table);
        long loadedBack = Await.value(WAIT, "the table back in the page cache", () -> {
            long resident = residentQuietly(table);
            return resident >= cached * 95 / 100 ? resident : null;
        });

        CacheKeeping.Refill refill = Await.value(WAIT, "the load back finished",
                () -> driver.cacheRefill("shop-1").filter(CacheKeeping.Refill::finished).orElse(null));
        log.info("resident blocks of {}: {} read, {} after the shrink, {} after the growth; load back {}", TABLE_BLOCKS,
                cached, afterShrink, loadedBack, refill);
        assertThat(afterShrink).as("the shrink evicted part of the table").isLessThan(cached * 85 / 100);
        assertThat(refill.loaded()).as("what the load back read").isGreaterThanOrEqualTo(cached - afterShrink);
    }

    @Test
    void aShrinkDuringTheLoadBackCancelsItAndTheNextGrowthLoadsTheWholeCacheBack() throws Exception {
        HotTable table = readTableAtTheLargerSize(UnaryOperator.identity());
        long cached = table.residentBlocks();
        resize(SMALL, table);
        resize(LARGE, table);
        CacheKeeping.Refill started = driver.cacheRefill("shop-1").orElseThrow();

        resize(SMALL, table);

        CacheKeeping.Refill cancelled = Await.value(WAIT, "the load back ended",
                () -> driver.cacheRefill("shop-1").filter(CacheKeeping.Refill::finished).orElse(null));
        assertThat(started.finished()).as("the load back was under way").isFalse();
        assertThat(cancelled.loaded()).as("stopped before its end: %s", cancelled).isLessThan(cancelled.toLoad());
        assertThat(driver.observe("shop-1", NOW).orElseThrow().cu()).isEqualTo(SMALL);

        // What was cached at the second shrink is only part of the table: the first record was kept.
        resize(LARGE, table);
        Await.until(WAIT, "the table back in the page cache", () -> residentQuietly(table) >= cached * 95 / 100);
    }

    @Test
    void withoutTheKeptCacheTheEvictedPagesStayOutAfterTheGrowth() throws Exception {
        HotTable table = readTableAtTheLargerSize(ProcessDriver.Settings::withoutKeptCache);
        long cached = table.residentBlocks();
        long afterShrink = resize(SMALL, table);

        resize(LARGE, table);
        // Everything a resize sets off in the background has run once the settings of the new size are in.
        String workMem = SizedSettings.of(LARGE).get("work_mem");
        Await.until(WAIT, "work_mem of " + LARGE + " CU, " + workMem, () -> workMem.equals(workMemQuietly()));
        long afterGrowth = table.residentBlocks();

        log.info("resident blocks of {} without the kept cache: {} read, {} after the shrink, {} after the growth",
                TABLE_BLOCKS, cached, afterShrink, afterGrowth);
        assertThat(afterShrink).as("the shrink evicted part of the table").isLessThan(cached * 85 / 100);
        assertThat(afterGrowth).as("nothing loaded it back").isLessThan(cached * 85 / 100);
        assertThat(driver.cacheRefill("shop-1")).isEmpty();
    }

    /** A compute at the larger size with the table made and read whole: all of it cached. */
    private HotTable readTableAtTheLargerSize(UnaryOperator<ProcessDriver.Settings> variant) throws Exception {
        Files.setPosixFilePermissions(scratch, PosixFilePermissions.fromString("rwxr-xr-x"));
        CgroupTree tree = new CgroupTree(layout, "tidepool-test-" + UUID.randomUUID().toString().substring(0, 8));
        driver = new ProcessDriver(variant.apply(new ProcessDriver.Settings(scratch, "tidepool", Optional.of(tree), WAIT)));
        driver.start(new Compute(ObjectMeta.named("shop-1"), new Compute.Spec("shop", "h1", LARGE, Compute.Role.primary, 1,
                new Endpoint.Postgres("15", Map.of())), null), NOW);
        Await.until(WAIT, "shop-1 running", () -> driver.observe("shop-1", NOW)
                .map(o -> o.phase() == Compute.Phase.Running).orElse(false));
        HotTable table = HotTable.create(driver.server("shop-1").orElseThrow(), "hot", TABLE_BLOCKS);
        assertThat(table.scan()).isEqualTo(TABLE_BLOCKS);
        assertThat(table.blocks()).isEqualTo(TABLE_BLOCKS);
        assertThat(table.residentBlocks()).as("the table read whole is cached at the larger size").isGreaterThanOrEqualTo(TABLE_BLOCKS * 95 / 100);
        return table;
    }

    /** @return the table's resident blocks right after */
    private long resize(Cu target, HotTable table) throws Exception {
        var outcome = driver.resize("shop-1", target, NOW);
        assertThat(outcome.refused()).as("resize to %s: %s", target, outcome.explanation()).isFalse();
        return table.residentBlocks();
    }

    private static long residentQuietly(HotTable table) {
        try {
            return table.residentBlocks();
        } catch (Exception e) {
            return -1;
        }
    }

    private String workMemQuietly() {
        try (var connection = driver.server("shop-1").orElseThrow().connect(Duration.ofSeconds(5));
             var statement = connection.createStatement(); var rows = statement.executeQuery("SHOW work_mem")) {
            rows.next();
            return rows.getString(1);
        } catch (Exception e) {
            return null;
        }
    }
}
