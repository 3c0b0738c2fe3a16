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
import io.tidepool.server.LocalFleet;
import io.tidepool.store.Await;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A planned restart on real Postgres under writing load: the replacement streams from the
 * primary, is prewarmed, and takes over; every transaction a client saw committed is there after
 * the switch, and the endpoint never has two primaries. Skipped, saying why, where the machine
 * lacks what {@code up --driver process} needs.
 */
@Timeout(180)
class PrewarmedSwitchTest {
    private static final Logger log = LoggerFactory.getLogger(PrewarmedSwitchTest.class);
    private static final Duration WAIT = Duration.ofSeconds(90);
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
            metadata: {name: shop}
            spec:
              cell: local
              compute: {minCu: 0.5, maxCu: 0.5}
              postgres: {version: "15", settings: {%s}}
            """;

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
    void aPlannedRestartUnderWritesKeepsEveryCommittedTransactionAndOnePrimary() throws Exception {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        fleet = LocalFleet.start(tmp.resolve("store"), ControlLoop.Settings.DEFAULT,
                new LocalHosts.Settings("local", 2, SHAPE, LocalFleet.step(), LocalHosts.Settings.LEASE),
                LocalMachine.detect().processDrivers(tmp.resolve("computes"), cgroupParent));
        fleet.apply(CELL, ENDPOINT.formatted(""));
        TenantDatabase first = TenantDatabase.awaitServing(fleet, "shop", WAIT);
        Pgbench.initialise(first.address(), 2, tmp.resolve("pgbench.log"), WAIT);

        AtomicInteger mostPrimaries = new AtomicInteger();
        int committedAtSwitch;
        try (Pgbench load = Pgbench.writing(first.address(), 2, Duration.ofSeconds(60), tmp.resolve("pgbench.log"));
             CountingWriter writer = CountingWriter.start(fleet, "shop")) {
            Await.until(WAIT, "writes committed before the restart", () -> writer.acknowledged().size() >= 200);
            fleet.apply(ENDPOINT.formatted("max_connections: \"120\""));
            Await.until(WAIT, "shop restarted with max_connections 120", () -> {
                mostPrimaries.accumulateAndGet(primaries(), Math::max);
                TenantDatabase now = TenantDatabase.current(fleet, "shop");
                return !now.compute().equals(first.compute()) && "120".equals(now.queryQuietly("SHOW max_connections"));
            });
            committedAtSwitch = writer.acknowledged().size();
            Await.until(WAIT, "writes committed on the new primary", () -> {
                mostPrimaries.accumulateAndGet(primaries(), Math::max);
                return writer.acknowledged().size() >= committedAtSwitch + 200;
            });
            writer.close();

            Set<Long> present = ids(TenantDatabase.current(fleet, "shop").address());
            assertThat(present).as("every acknowledged commit is there").containsAll(writer.acknowledged());
            log.info("restarted shop under writes: {} commits acknowledged, {} at the switch, all present;"
                    + " {} failed attempts while it switched", writer.acknowledged().size(), committedAtSwitch, writer.failures());
        }
        assertThat(mostPrimaries.get()).as("primaries of shop at any time").isEqualTo(1);
        assertThat(fleet.getJson("/api/v1/computes").get("items")).hasSize(1);
    }

    private int primaries() {
        int count = 0;
        for (JsonNode compute : fleet.getJson("/api/v1/computes").get("items")) {
            if ("shop".equals(compute.at("/spec/endpoint").asText()) && "primary".equals(compute.at("/spec/role").asText())) {
                count++;
            }
        }
        return count;
    }

    private static Set<Long> ids(String address) throws Exception {
        java.net.URI uri = java.net.URI.create(address);
        Properties properties = new Properties();
        properties.setProperty("user", uri.getUserInfo());
        Set<Long> ids = new HashSet<>();
        try (Connection connection = DriverManager.getConnection("jdbc:postgresql://" + uri.getHost() + ":" + uri.getPort()
                + uri.getPath(), properties); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT id FROM written")) {
            while (rows.next()) {
                ids.add(rows.getLong(1));
            }
        }
        return ids;
    }
}
