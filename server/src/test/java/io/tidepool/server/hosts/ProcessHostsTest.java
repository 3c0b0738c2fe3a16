package io.tidepool.server.hosts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tidepool.api.quantity.Bytes;
import io.tidepool.api.quantity.MilliCpu;
import io.tidepool.api.resource.HostShape;
import io.tidepool.control.ControlLoop;
import io.tidepool.guest.cgroup.CgroupLayout;
import io.tidepool.guest.cgroup.CgroupTree;
import io.tidepool.migration.MigrationSettings;
import io.tidepool.server.LocalFleet;
import io.tidepool.store.Await;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code up --driver process} in a test: two local hosts running real Postgres in real cgroups,
 * sharing one computes directory as {@code up} makes them, under a real single-node control plane
 * with its controllers. Endpoints move and restart by stop and start and keep their data, and a
 * postmaster killed with -9 is started again. Skipped, saying why, where the machine cannot run
 * the process driver.
 */
@Timeout(180)
class ProcessHostsTest {
    private static final Logger log = LoggerFactory.getLogger(ProcessHostsTest.class);
    private static final Duration WAIT = Duration.ofSeconds(60);
    /** Two CPUs make 2 CU per host, and the cell's watermark of 0.75 1.5 CU. */
    private static final HostShape SHAPE = new HostShape(MilliCpu.ofCpus(2), Bytes.ofGibibytes(8));
    private static final String CELL = """
            apiVersion: tidepool.io/v1
            kind: Cell
            metadata: {name: local}
            spec: {hostTemplate: {cpus: 2, memory: 8Gi}, watermark: 0.75}
            """;
    private static final String ENDPOINT = """
            apiVersion: tidepool.io/v1
            kind: Endpoint
            metadata: {name: %s}
            spec:
              cell: local
              compute: {minCu: %s, maxCu: %2$s}
              postgres: {version: "15", settings: {%3$s}}
            """;
    /** A move that cannot finish fails in a minute, not ten. */
    private static final ControlLoop.Settings CONTROL = ControlLoop.Settings.DEFAULT.withMigrations(new MigrationSettings(
            MigrationSettings.DEFAULT.limits(), Duration.ofSeconds(60), MigrationSettings.DEFAULT.retention()));

    @TempDir
    Path tmp;
    private final String cgroupParent = "tidepool-test-" + UUID.randomUUID().toString().substring(0, 8);
    private LocalFleet fleet;

    @BeforeAll
    static void needsWhatUpNeedsForTheProcessDriver() throws Exception {
        Optional<String> unavailable = LocalMachine.detect().processDriverUnavailable();
        assumeTrue(unavailable.isEmpty(), () -> "needs what up --driver process needs: " + unavailable.orElseThrow());
    }

    @AfterEach
    void stopFleet() throws Exception {
        if (fleet != null) {
            fleet.close();
        }
        CgroupLayout layout = CgroupLayout.detect();
        // Removing a cgroup right after its last child can fail for a moment: retry, bounded.
        Await.until(Duration.ofSeconds(10), "the test's cgroups removed", () -> {
            try {
                for (int host = 1; host <= 2; host++) {
                    new CgroupTree(layout, cgroupParent + "/" + LocalHosts.hostName("local", host)).removeParent();
                }
                return new CgroupTree(layout, cgroupParent).removeParent();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    @Test
    void aComputeMovedOffAFullHostServesItsDataOnTheOtherHost() throws Exception {
        startFleet();
        TenantDatabase shop = TenantDatabase.awaitServing(fleet, "shop", WAIT);
        fleet.apply(ENDPOINT.formatted("blog", "0.5", ""));
        TenantDatabase blog = TenantDatabase.awaitServing(fleet, "blog", WAIT);
        assertThat(blog.host()).as("best fit packs both on one host").isEqualTo(shop.host());
        shop.execute("CREATE TABLE kept (id int)", "INSERT INTO kept VALUES (1), (2), (3)");
        blog.execute("CREATE TABLE kept (id int)", "INSERT INTO kept VALUES (1), (2)");
        Map<String, String> rows = Map.of("shop", "3", "blog", "2");

        // blog grows to 1.25 CU: its host holds 1.75 CU, above its watermark of 1.5.
        fleet.apply(ENDPOINT.formatted("blog", "1.25", ""));
        JsonNode migration = Await.value(WAIT, "a move off " + shop.host(), () -> firstMigration().orElse(null));
        String moved = migration.at("/spec/endpoint").asText();
        String target = migration.at("/spec/targetHost").asText();
        TenantDatabase before = moved.equals("shop") ? shop : blog;
        Downtime downtime = new Downtime();
        try {
            Await.until(WAIT, moved + " moved to " + target + " and serving there", () -> {
                TenantDatabase now = TenantDatabase.current(fleet, moved);
                boolean serves = downtime.observe(now.serves());
                return "Succeeded".equals(migration(migration).at("/status/phase").asText()) && target.equals(now.host()) && serves;
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; the move: " + migration(migration).get("status")
                    + "; computes: " + fleet.getJson("/api/v1/computes").get("items"), e);
        }

        TenantDatabase after = TenantDatabase.current(fleet, moved);
        assertThat(target).isNotEqualTo(before.host());
        assertThat(after.address()).isNotEqualTo(before.address());
        assertThat(after.query("SELECT count(*) FROM kept")).isEqualTo(rows.get(moved));
        TenantDatabase stayed = TenantDatabase.current(fleet, moved.equals("shop") ? "blog" : "shop");
        assertThat(stayed.host()).isEqualTo(before.host());
        assertThat(stayed.query("SELECT count(*) FROM kept")).isEqualTo(rows.get(stayed.endpoint()));
        JsonNode done = migration(migration).get("status");
        log.info("moved {}: {}; unavailable for {} (started {}, switch {}, finished {})", moved,
                done.get("message").asText(), downtime, done.get("startedAt").asText(),
                done.get("warmAt").asText(), done.get("finishedAt").asText());
    }

    @Test
    void aPlannedRestartStopsThenStartsTheEndpointOnItsData() throws Exception {
        startFleet();
        TenantDatabase first = TenantDatabase.awaitServing(fleet, "shop", WAIT);
        first.execute("CREATE TABLE orders (id int)", "INSERT INTO orders VALUES (1), (2), (3)");
        assertThat(first.query("SHOW max_connections")).isEqualTo("100");

        fleet.apply(ENDPOINT.formatted("shop", "0.5", "max_connections: \"40\""));
        Downtime downtime = new Downtime();
        Await.until(WAIT, "shop restarted with max_connections 40", () -> {
            TenantDatabase now = TenantDatabase.current(fleet, "shop");
            boolean serves = downtime.observe(now.serves());
            return !now.compute().equals(first.compute()) && serves && "40".equals(now.queryQuietly("SHOW max_connections"));
        });

        TenantDatabase restarted = TenantDatabase.current(fleet, "shop");
        assertThat(restarted.query("SELECT count(*) FROM orders")).isEqualTo("3");
        assertThat(fleet.getJson("/api/v1/computes").get("items")).hasSize(1);
        log.info("restarted shop ({} to {} on {}): unavailable for {}", first.compute(), restarted.compute(),
                restarted.host(), downtime);
    }

    @Test
    void aPostmasterKilledWithSignalNineIsStartedAgainWithItsData() throws Exception {
        startFleet();
        TenantDatabase shop = TenantDatabase.awaitServing(fleet, "shop", WAIT);
        shop.execute("CREATE TABLE orders (id int)", "INSERT INTO orders VALUES (1), (2), (3)");
        long killed = postmasterPid("shop");

        new ProcessBuilder("kill", "-9", Long.toString(killed)).inheritIO().start().waitFor();
        Instant at = Instant.now();
        Await.until(WAIT, "a new postmaster for shop, serving", () -> {
            try {
                return postmasterPid("shop") != killed && TenantDatabase.current(fleet, "shop").serves();
            } catch (Exception e) {
                return false;
            }
        });

        TenantDatabase again = TenantDatabase.current(fleet, "shop");
        assertThat(again.compute()).isEqualTo(shop.compute());
        assertThat(again.address()).isEqualTo(shop.address());
        assertThat(again.query("SELECT count(*) FROM orders")).isEqualTo("3");
        log.info("shop served again {} ms after kill -9 of its postmaster", Duration.between(at, Instant.now()).toMillis());
    }

    /** Two local hosts as {@code up --driver process} makes them, and the endpoint shop. */
    private void startFleet() throws Exception {
        // The computes' user must get through every directory down to the data.
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        fleet = LocalFleet.start(tmp.resolve("store"), CONTROL,
                new LocalHosts.Settings("local", 2, SHAPE, LocalFleet.step(), LocalHosts.Settings.LEASE),
                LocalMachine.detect().processDrivers(tmp.resolve("computes"), cgroupParent));
        fleet.apply(CELL, ENDPOINT.formatted("shop", "0.5", ""));
    }

    private Optional<JsonNode> firstMigration() {
        JsonNode items = fleet.getJson("/api/v1/migrations").get("items");
        return items.isEmpty() ? Optional.empty() : Optional.of(items.get(0));
    }

    private JsonNode migration(JsonNode migration) {
        return fleet.getJson("/api/v1/migrations/" + migration.at("/metadata/name").asText());
    }

    private long postmasterPid(String endpoint) throws Exception {
        Path pidFile = tmp.resolve("computes/endpoints/" + endpoint + "/pgdata/postmaster.pid");
        return Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
    }

    /** From the first query that fails to the first that succeeds after it, as often as a test polls. */
    private static final class Downtime {
        private Instant down;
        private Instant up;

        /** Returns {@code serves}. */
        boolean observe(boolean serves) {
            Instant now = Instant.now();
            if (!serves && down == null) {
                down = now;
            } else if (serves && down != null && up == null) {
                up = now;
            }
            return serves;
        }

        @Override
        public String toString() {
            return up == null ? "too short to be seen" : Duration.between(down, up).toMillis() + " ms";
        }
    }
}
