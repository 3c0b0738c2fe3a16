package io.tidepool.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tidepool.agent.ComputeDriver;
import io.tidepool.api.quantity.Cu;
import io.tidepool.api.resource.Compute;
import io.tidepool.api.resource.Endpoint;
import io.tidepool.api.resource.ObjectMeta;
import io.tidepool.guest.GuestAgent;
import io.tidepool.guest.cgroup.CgroupLayout;
import io.tidepool.guest.cgroup.CgroupTree;
import io.tidepool.guest.cgroup.ComputeCgroup;
import io.tidepool.postgres.PostgresBinaries;
import io.tidepool.postgres.PostgresServer;
import io.tidepool.store.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real Postgres in real cgroups (v1 or v2, as root); skipped, saying why, where the machine lacks them. */
class ProcessDriverTest {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final Instant NOW = Instant.parse("2026-01-05T00:00:00Z");
    /** For tests that do not depend on the size: at 1 CU a compute is made and started in half the time a quarter takes. */
    private static final Cu ANY_SIZE = Cu.ofQuarters(4);
    private static CgroupLayout layout;

    @TempDir
    Path scratch;
    private CgroupTree tree;
    private ProcessDriver driver;

    @BeforeAll
    static void needsPostgresAndCgroups() throws Exception {
        assumeTrue(PostgresBinaries.find("15").isPresent(), "needs Postgres 15 (postgresql-15, or postgres 15 on PATH)");
        layout = CgroupLayout.detect();
        assumeTrue(layout.version() != CgroupLayout.Version.NONE, "needs cgroups with the cpu and memory controllers");
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root to make cgroups and run computes as their own user");
    }

    @BeforeEach
    void startDriver() throws Exception {
        Files.setPosixFilePermissions(scratch, PosixFilePermissions.fromString("rwxr-xr-x"));
        tree = new CgroupTree(layout, "tidepool-test-" + UUID.randomUUID().toString().substring(0, 8));
        driver = new ProcessDriver(new ProcessDriver.Settings(scratch, "tidepool", Optional.of(tree), WAIT));
    }

    @AfterEach
    void stopDriver() throws Exception {
        driver.close(); // stops every compute and removes the test's cgroups
    }

    @Test
    void aComputeRunsAtItsSizeAndIsResizedLive() throws Exception {
        Compute compute = compute("shop-1", "shop", Cu.ofQuarters(1));
        AtomicInteger changes = new AtomicInteger();
        driver.onChange(changes::incrementAndGet);
        driver.start(compute, NOW);
        assertThat(changes).as("the boot goes on in the background").hasValue(0);
        awaitRunning("shop-1");
        Await.until(WAIT, "the agent told that the boot is over, not left to find it at its next round",
                () -> changes.get() == 1);

        assertThat(driver.cgroup("shop-1").orElseThrow().cpuLimit().millis()).isEqualTo(250);
        assertThat(driver.cgroup("shop-1").orElseThrow().memoryLimit().value()).isEqualTo(1L << 30);
        assertThat(query("shop-1", "SHOW work_mem")).isEqualTo("16MB");
        assertThat(driver.cgroup("shop-1").orElseThrow().processes()).contains(driver.server("shop-1").orElseThrow().pid());

        ComputeDriver.ResizeOutcome grown = driver.resize("shop-1", Cu.ofQuarters(4), NOW);

        assertThat(grown.refused()).isFalse();
        assertThat(driver.cgroup("shop-1").orElseThrow().cpuLimit().millis()).isEqualTo(1_000);
        assertThat(driver.cgroup("shop-1").orElseThrow().memoryLimit().value()).isEqualTo(4L << 30);
        Await.until(WAIT, "work_mem to follow the size", () -> "64MB".equals(queryQuietly("shop-1", "SHOW work_mem")));
        assertThat(driver.observe("shop-1", NOW).orElseThrow().cu()).isEqualTo(Cu.ofQuarters(4));
    }

    @Test
    void aDownscaleThatWouldNotFitIsRefusedAndTheSizeStays() throws Exception {
        driver.start(compute("big-1", "big", Cu.ofQuarters(4)), NOW);
        awaitRunning("big-1");
        PostgresServer server = driver.server("big-1").orElseThrow();
        try (Connection session = server.connect(Duration.ofSeconds(120)); Statement statement = session.createStatement()) {
            // Temporary tables live in the backend's own memory: 1.2 GB that no shrink can reclaim.
            statement.execute("SET temp_buffers = '1500MB'");
            statement.execute("CREATE TEMP TABLE held AS SELECT g, repeat('x', 1000) AS pad FROM generate_series(1, 1200000) g");

            ComputeDriver.ResizeOutcome shrunk = driver.resize("big-1", Cu.ofQuarters(1), NOW);

            assertThat(shrunk.refused()).isTrue();
            assertThat(shrunk.explanation()).contains("does not fit 0.25 CU");
            assertThat(driver.cgroup("big-1").orElseThrow().memoryLimit().value()).isEqualTo(4L << 30);
            assertThat(driver.observe("big-1", NOW).orElseThrow().cu()).isEqualTo(Cu.ofQuarters(4));
        }
    }

    @Test
    void aGuestAgentThatFallsSilentIsStartedAgainAndAnswersForItsCompute() throws Exception {
        driver.start(compute("news-1", "news", Cu.ofQuarters(2)), NOW);
        awaitRunning("news-1");
        GuestAgent first = driver.guestAgent("news-1").orElseThrow();
        Await.until(WAIT, "the guest welcomed", first::welcomed);

        first.close();
        GuestAgent second = Await.value(WAIT, "a new guest agent for news-1", () -> {
            driver.observe("news-1", NOW);
            return driver.guestAgent("news-1").filter(guest -> guest != first && guest.welcomed()).orElse(null);
        });

        assertThat(second).isNotSameAs(first);
        assertThat(driver.resize("news-1", Cu.ofQuarters(1), NOW).refused()).as("the new guest answers downscales").isFalse();
    }

    @Test
    void aFailedStartIsTriedAgainAndSucceedsOnceWhatBlockedItIsGone() throws Exception {
        driver.start(compute("docs-1", "docs", ANY_SIZE), NOW);
        awaitRunning("docs-1");

        // A second compute of the same endpoint finds the first's postmaster holding the data.
        driver.start(compute("docs-2", "docs", ANY_SIZE), NOW);
        ComputeDriver.Observed failed = Await.value(WAIT, "docs-2 failed", () -> driver.observe("docs-2", NOW)
                .filter(o -> o.phase() == Compute.Phase.Failed).orElse(null));
        assertThat(failed.failure()).contains("starting failed");

        driver.stop("docs-1", NOW);
        Await.until(WAIT, "docs-2 running after a retry", () -> driver.observe("docs-2", NOW)
                .map(o -> o.phase() == Compute.Phase.Running).orElse(false));
        assertThat(query("docs-2", "SELECT 1")).isEqualTo("1");
    }

    @Test
    void aPostmasterKilledIsStartedAgainWithItsData() throws Exception {
        driver.start(compute("blog-1", "blog", ANY_SIZE), NOW);
        awaitRunning("blog-1");
        PostgresServer server = driver.server("blog-1").orElseThrow();
        try (Connection connection = server.connect(Duration.ofSeconds(5)); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE posts (id int)");
            statement.execute("INSERT INTO posts VALUES (1)");
        }

        new ProcessBuilder("kill", "-9", Long.toString(server.pid())).start().waitFor();
        Await.until(WAIT, "the kill noticed", () -> driver.observe("blog-1", NOW).orElseThrow().phase() != Compute.Phase.Running);
        awaitRunning("blog-1");

        assertThat(driver.restarts("blog-1")).isEqualTo(1);
        assertThat(query("blog-1", "SELECT count(*) FROM posts")).isEqualTo("1");
    }

    @Test
    void aNewAgentStopsTheComputesAnEarlierOneLeftAndRunsThemAgainOnTheirData() throws Exception {
        driver.start(compute("wiki-1", "wiki", ANY_SIZE), NOW);
        awaitRunning("wiki-1");
        PostgresServer orphan = driver.server("wiki-1").orElseThrow();
        try (Connection connection = orphan.connect(Duration.ofSeconds(5)); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE pages (id int)");
            statement.execute("INSERT INTO pages VALUES (1)");
        }

        // The earlier agent dies without stopping anything (kill -9): its postmaster lives on.
        driver = new ProcessDriver(new ProcessDriver.Settings(scratch, "tidepool", Optional.of(tree), WAIT));
        assertThat(orphan.alive()).as("the orphan was stopped").isFalse();
        driver.start(compute("wiki-1", "wiki", ANY_SIZE), NOW);
        awaitRunning("wiki-1");

        assertThat(query("wiki-1", "SELECT count(*) FROM pages")).isEqualTo("1");
    }

    @Test
    void closingStopsEveryComputeAndRemovesTheHostsCgroups() throws Exception {
        driver.start(compute("tidy-1", "tidy", ANY_SIZE), NOW);
        awaitRunning("tidy-1");
        long postmaster = driver.server("tidy-1").orElseThrow().pid();
        List<Path> hostLevels = driver.cgroup("tidy-1").orElseThrow().procsFiles().stream()
                .map(procs -> procs.getParent().getParent()).toList();

        driver.close();

        assertThat(ProcessHandle.of(postmaster).filter(ProcessHandle::isAlive)).isEmpty();
        assertThat(hostLevels).isNotEmpty().allSatisfy(dir -> assertThat(dir).doesNotExist());
    }

    @Test
    void closingRemovesTheCgroupOfABootThatTheCloseInterrupted() throws Exception {
        // What a boot interrupted between making its cgroup and starting Postgres leaves behind.
        ComputeCgroup interrupted = tree.compute("shop-1");
        interrupted.create();
        List<Path> hostLevels = interrupted.procsFiles().stream().map(procs -> procs.getParent().getParent()).toList();

        driver.close();

        assertThat(hostLevels).isNotEmpty().allSatisfy(dir -> assertThat(dir).doesNotExist());
    }

    @Test
    void stoppingRemovesTheCgroupAndKeepsTheData() throws Exception {
        driver.start(compute("docs-1", "docs", ANY_SIZE), NOW);
        awaitRunning("docs-1");
        var cgroup = driver.cgroup("docs-1").orElseThrow();

        driver.stop("docs-1", NOW);

        assertThat(driver.running()).doesNotContain("docs-1");
        assertThat(cgroup.processes()).isEmpty();
        assertThat(cgroup.memoryStatFile()).doesNotExist();
        assertThat(scratch.resolve("endpoints/docs/pgdata/PG_VERSION")).exists();
    }

    private void awaitRunning(String name) {
        Await.until(WAIT, name + " running", () -> driver.observe(name, NOW)
                .map(o -> {
                    assertThat(o.phase()).as(name + " failed to start: " + o.failure()).isNotEqualTo(Compute.Phase.Failed);
                    return o.phase() == Compute.Phase.Running;
                }).orElse(false));
    }

    private String query(String compute, String sql) throws Exception {
        try (Connection connection = driver.server(compute).orElseThrow().connect(Duration.ofSeconds(5));
             Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        }
    }

    private String queryQuietly(String compute, String sql) {
        try {
            return query(compute, sql);
        } catch (Exception e) {
            return null;
        }
    }

    private static Compute compute(String name, String endpoint, Cu cu) {
        return new Compute(ObjectMeta.named(name), new Compute.Spec(endpoint, "h1", cu, Compute.Role.primary, 1,
                new Endpoint.Postgres("15", Map.of())), null);
    }
}
