package io.tidepool.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tidepool.agent.ComputeDriver;
import io.tidepool.agent.ControlPlaneLink;
import io.tidepool.agent.HostAgent;
import io.tidepool.api.agent.ComputeMetrics;
import io.tidepool.api.agent.UpscaleRequest;
import io.tidepool.api.quantity.Bytes;
import io.tidepool.api.quantity.Cu;
import io.tidepool.api.quantity.MilliCpu;
import io.tidepool.api.resource.Compute;
import io.tidepool.api.resource.Endpoint;
import io.tidepool.api.resource.Host;
import io.tidepool.api.resource.HostShape;
import io.tidepool.api.resource.ObjectMeta;
import io.tidepool.guest.cgroup.CgroupLayout;
import io.tidepool.guest.cgroup.CgroupTree;
import io.tidepool.postgres.PostgresBinaries;
import io.tidepool.store.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A replacement on the process driver streams from the endpoint's running primary, loads its hot
 * pages, and takes over when promoted: by pg_promote when it received everything the stopped
 * primary wrote, else on the old primary's data. Real Postgres in real cgroups; skipped, saying
 * why, where the machine lacks them.
 */
class StreamingStandbyTest {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final Instant NOW = Instant.parse("2026-01-05T00:00:00Z");
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
    void aReplacementStreamsIsPrewarmedAndTakesOverByPromotionWithEveryCommit() throws Exception {
        driver.start(compute("shop-1", Compute.Role.primary), NOW);
        awaitRunning("shop-1");
        execute("shop-1", "CREATE TABLE orders (id int, note text)",
                "INSERT INTO orders SELECT i, repeat('x', 200) FROM generate_series(1, 20000) i",
                "SELECT count(*) FROM orders");

        driver.start(compute("shop-2", Compute.Role.replacement), NOW);
        awaitWarm("shop-2");

        assertThat(query("shop-2", "SELECT pg_is_in_recovery()::text")).isEqualTo("true");
        assertThat(Long.parseLong(query("shop-2", "SELECT count(*) FROM pg_buffercache b JOIN pg_class c"
                + " ON c.relfilenode = b.relfilenode WHERE c.relname = 'orders'"))).as("orders' pages prewarmed").isGreaterThan(100);
        execute("shop-1", "INSERT INTO orders SELECT i, 'after' FROM generate_series(20001, 20500) i");

        driver.stop("shop-1", NOW); // fenced: a fast shutdown sends the last WAL to the standby
        driver.follow(compute("shop-2", Compute.Role.primary), NOW);
        awaitRunning("shop-2");

        assertThat(query("shop-2", "SELECT count(*) FROM orders")).isEqualTo("20500");
        assertThat(query("shop-2", "SELECT pg_is_in_recovery()::text")).isEqualTo("false");
        execute("shop-2", "INSERT INTO orders VALUES (20501, 'on the new primary')");
        Path own = scratch.resolve("endpoints/shop/computes/shop-2/pgdata");
        assertThat(Files.readString(scratch.resolve("endpoints/shop/current")).trim()).isEqualTo(own.toString());
        Await.until(WAIT, "the old primary's data retired", () -> !Files.exists(scratch.resolve("endpoints/shop/pgdata")));
        try (Stream<Path> retired = Files.list(scratch.resolve("retired"))) {
            assertThat(retired.map(p -> p.getFileName().toString())).as("deleted after a grace period").anyMatch(n -> n.startsWith("pgdata-"));
        }
        assertThat(driver.cgroup("shop-2").orElseThrow().processes()).contains(driver.server("shop-2").orElseThrow().pid());
    }

    @Test
    void aPromotedStandbyWhosePrimaryDidNotShutDownCleanlyStartsOnTheOldData() throws Exception {
        driver.start(compute("shop-1", Compute.Role.primary), NOW);
        awaitRunning("shop-1");
        execute("shop-1", "CREATE TABLE orders (id int)", "INSERT INTO orders SELECT generate_series(1, 1000)");
        driver.start(compute("shop-2", Compute.Role.replacement), NOW);
        awaitWarm("shop-2");
        String address = driver.observe("shop-2", NOW).orElseThrow().address();

        new ProcessBuilder("kill", "-KILL", Long.toString(driver.server("shop-1").orElseThrow().pid())).start().waitFor();
        driver.stop("shop-1", NOW);
        driver.follow(compute("shop-2", Compute.Role.primary), NOW);
        awaitRunning("shop-2");

        assertThat(query("shop-2", "SELECT count(*) FROM orders")).isEqualTo("1000");
        assertThat(driver.server("shop-2").orElseThrow().config().dataDir()).isEqualTo(scratch.resolve("endpoints/shop/pgdata"));
        assertThat(driver.observe("shop-2", NOW).orElseThrow().address()).as("at the address it reported").isEqualTo(address);
        assertThat(scratch.resolve("endpoints/shop/computes/shop-2")).as("the standby's copy is discarded").doesNotExist();
    }

    @Test
    void aDiscardedStandbyLeavesThePrimaryServingAndItsCopyGoes() throws Exception {
        driver.start(compute("shop-1", Compute.Role.primary), NOW);
        awaitRunning("shop-1");
        driver.start(compute("shop-2", Compute.Role.replacement), NOW);
        awaitWarm("shop-2");

        driver.stop("shop-2", NOW);

        assertThat(scratch.resolve("endpoints/shop/computes/shop-2")).doesNotExist();
        execute("shop-1", "CREATE TABLE still_writable (id int)");
        driver.start(compute("shop-3", Compute.Role.replacement), NOW);
        awaitWarm("shop-3");
    }

    @Test
    void aStandbyKilledWhileItWarmsIsStartedAgainAndThePrimaryServesThroughout() throws Exception {
        driver.start(compute("shop-1", Compute.Role.primary), NOW);
        awaitRunning("shop-1");
        execute("shop-1", "CREATE TABLE orders (id int)", "INSERT INTO orders SELECT generate_series(1, 1000)");
        driver.start(compute("shop-2", Compute.Role.replacement), NOW);
        long killed = Await.value(WAIT, "shop-2's postmaster", () -> driver.server("shop-2")
                .filter(server -> server.alive()).map(server -> server.pid()).orElse(null));

        new ProcessBuilder("kill", "-KILL", Long.toString(killed)).start().waitFor();
        execute("shop-1", "INSERT INTO orders SELECT generate_series(1001, 1100)");
        Await.until(WAIT, "shop-2 warm after its kill", () -> driver.observe("shop-2", NOW)
                .map(o -> o.phase() == Compute.Phase.Running && o.warm()
                        && driver.server("shop-2").map(s -> s.pid() != killed).orElse(false)).orElse(false));

        assertThat(query("shop-1", "SELECT pg_is_in_recovery()::text")).isEqualTo("false");
        driver.stop("shop-1", NOW);
        driver.follow(compute("shop-2", Compute.Role.primary), NOW);
        awaitRunning("shop-2");
        assertThat(query("shop-2", "SELECT count(*) FROM orders")).isEqualTo("1100");
    }

    private void awaitWarm(String name) {
        Await.until(WAIT, name + " warm", () -> driver.observe(name, NOW)
                .map(o -> {
                    assertThat(o.phase()).as(name + " failed: " + o.failure()).isNotEqualTo(Compute.Phase.Failed);
                    return o.phase() == Compute.Phase.Running && o.warm();
                }).orElse(false));
    }

    private void awaitRunning(String name) {
        Await.until(WAIT, name + " running", () -> driver.observe(name, NOW)
                .map(o -> {
                    assertThat(o.phase()).as(name + " failed to start").isNotEqualTo(Compute.Phase.Failed);
                    return o.phase() == Compute.Phase.Running && driver.server(name).isPresent();
                }).orElse(false));
    }

    private void execute(String compute, String... statements) throws Exception {
        try (Connection connection = driver.server(compute).orElseThrow().connect(Duration.ofSeconds(5));
             Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    private String query(String compute, String sql) throws Exception {
        try (Connection connection = driver.server(compute).orElseThrow().connect(Duration.ofSeconds(5));
             Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        }
    }

    private static Compute compute(String name, Compute.Role role) {
        return compute(name, role, "shop");
    }

    /** At 1 CU: at a quarter, making, copying and starting the servers is what the tests would wait for. */
    private static Compute compute(String name, Compute.Role role, String endpoint) {
        return new Compute(ObjectMeta.named(name), new Compute.Spec(endpoint, "h1", Cu.ofQuarters(4), role, 1,
                new Endpoint.Postgres("15", Map.of())), null);
    }
}
