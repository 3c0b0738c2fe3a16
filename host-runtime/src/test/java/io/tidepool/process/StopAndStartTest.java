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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A replacement on the process driver with no primary to stream from (none announced itself on
 * the data root, as for a primary on another machine) is prepared beside it and starts on the
 * endpoint's data once promoted: the stop-and-start fallback. Real Postgres in real cgroups; skipped, saying why, where the
 * machine lacks them.
 */
class StopAndStartTest {
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
    void aReplacementWithNoPrimaryToStreamFromIsPreparedAndStartsOnTheDataWhenPromoted() throws Exception {
        driver.start(compute("shop-1", Compute.Role.primary), NOW);
        awaitRunning("shop-1");
        execute("shop-1", "CREATE TABLE orders (id int)", "INSERT INTO orders VALUES (1), (2)");
        Files.delete(scratch.resolve("endpoints/shop/primary"));

        driver.start(compute("shop-2", Compute.Role.replacement), NOW);
        ComputeDriver.Observed prepared = driver.observe("shop-2", NOW).orElseThrow();

        assertThat(prepared.phase()).isEqualTo(Compute.Phase.Running);
        assertThat(prepared.warm()).as("ready to take over").isTrue();
        assertThat(driver.running()).containsExactlyInAnyOrder("shop-1", "shop-2");
        assertThat(driver.server("shop-2")).as("no postmaster while the primary holds the data").isEmpty();

        driver.follow(compute("shop-2", Compute.Role.replacement), NOW);
        assertThat(driver.server("shop-2")).as("not started before its promotion").isEmpty();

        driver.stop("shop-1", NOW);
        driver.follow(compute("shop-2", Compute.Role.primary), NOW);
        awaitRunning("shop-2");

        assertThat(query("shop-2", "SELECT count(*) FROM orders")).isEqualTo("2");
        assertThat(driver.observe("shop-2", NOW).orElseThrow().address()).isEqualTo(prepared.address());
        assertThat(driver.cgroup("shop-2").orElseThrow().processes()).contains(driver.server("shop-2").orElseThrow().pid());
    }

    @Test
    void aReplacementOfAnEndpointWhoseDataIsNotHereFailsSayingWhy() {
        driver.start(compute("blog-2", Compute.Role.replacement, "blog"), NOW);

        ComputeDriver.Observed observed = driver.observe("blog-2", NOW).orElseThrow();
        assertThat(observed.phase()).isEqualTo(Compute.Phase.Failed);
        assertThat(observed.warm()).isFalse();
        assertThat(observed.failure()).contains("data of endpoint blog is not reachable from this host");

        driver.follow(compute("blog-2", Compute.Role.primary, "blog"), NOW);
        assertThat(driver.server("blog-2")).isEmpty();
        driver.stop("blog-2", NOW);
        assertThat(driver.running()).isEmpty();
    }

    @Test
    void itsAgentReportsOnceWhyAReplacementCannotRunHere() {
        List<Compute.Status> reports = new ArrayList<>();
        HostAgent agent = new HostAgent(new Host(ObjectMeta.named("h1"), new Host.Spec("c1",
                new HostShape(MilliCpu.ofCpus(2), Bytes.ofGibibytes(8)), false), null),
                new OneComputeLink(compute("blog-2", Compute.Role.replacement, "blog"), reports), driver, Duration.ofSeconds(20));

        agent.step(NOW);
        agent.step(NOW.plusSeconds(1));

        assertThat(reports).singleElement().satisfies(status -> {
            assertThat(status.phase()).isEqualTo(Compute.Phase.Failed);
            assertThat(status.conditions()).singleElement().satisfies(condition -> {
                assertThat(condition.type()).isEqualTo(HostAgent.CANNOT_RUN);
                assertThat(condition.message()).contains("data of endpoint blog is not reachable from this host");
            });
        });
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

    /** The control plane of one compute, which keeps what the agent reports of it. */
    private record OneComputeLink(Compute compute, List<Compute.Status> reports) implements ControlPlaneLink {
        @Override
        public void register(Host host) {
        }

        @Override
        public List<Compute> assigned(String host) {
            return List.of(compute.withStatus(reports.isEmpty() ? null : reports.get(reports.size() - 1)));
        }

        @Override
        public boolean report(String name, Compute.Status status) {
            return reports.add(status);
        }

        @Override
        public void heartbeat(String host, Instant at, Map<String, ComputeMetrics> metrics) {
        }

        @Override
        public void requestUpscale(String name, UpscaleRequest request) {
        }
    }

    private static Compute compute(String name, Compute.Role role) {
        return compute(name, role, "shop");
    }

    private static Compute compute(String name, Compute.Role role, String endpoint) {
        return new Compute(ObjectMeta.named(name), new Compute.Spec(endpoint, "h1", Cu.ofQuarters(1), role, 1,
                new Endpoint.Postgres("15", Map.of())), null);
    }
}
