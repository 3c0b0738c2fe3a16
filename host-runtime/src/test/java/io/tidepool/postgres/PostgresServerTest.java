package io.tidepool.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tidepool.guest.cgroup.CgroupLayout;
import io.tidepool.guest.cgroup.CgroupTree;
import io.tidepool.guest.cgroup.ComputeCgroup;
import io.tidepool.store.Await;
import io.tidepool.store.LoopbackPort;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real Postgres server; skipped, saying why, where the machine has no Postgres 15. */
class PostgresServerTest {
    private static final Duration READY = Duration.ofSeconds(60);
    private static PostgresBinaries binaries;

    @TempDir
    Path scratch;
    private PostgresServer server;

    @BeforeAll
    static void needsPostgres() throws Exception {
        binaries = PostgresBinaries.find("15").orElse(null);
        assumeTrue(binaries != null, "needs Postgres 15 (postgresql-15, or postgres 15 on PATH)");
    }

    @BeforeEach
    void makeServer() throws Exception {
        // The computes' user must reach its data directory through the test's own.
        Files.setPosixFilePermissions(scratch, PosixFilePermissions.fromString("rwxr-xr-x"));
        server = new PostgresServer(new PostgresServer.Config(binaries, OsUser.forComputes("tidepool"),
                scratch.resolve("data"), scratch.resolve("sockets"), LoopbackPort.free(), scratch.resolve("postgres.log")));
    }

    @AfterEach
    void stopServer() throws Exception {
        server.stop();
    }

    @Test
    void aServerStartsServesAndKeepsItsDataAcrossARestart() throws Exception {
        server.initialize();
        server.start(UnaryOperator.identity());
        Await.until(READY, "the server to accept queries", server::ready);
        try (Connection connection = server.connect(Duration.ofSeconds(5)); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE kept (n int)");
            statement.execute("INSERT INTO kept VALUES (42)");
        }

        server.stop();
        assertThat(server.alive()).isFalse();
        server.initialize();
        server.start(UnaryOperator.identity());
        Await.until(READY, "the server to accept queries again", server::ready);

        assertThat(query("SELECT n FROM kept")).isEqualTo("42");
    }

    @Test
    void theNextServerOfTheSameDataStartsWithSocketsOfItsOwn() throws Exception {
        server.initialize();
        server.start(UnaryOperator.identity());
        Await.until(READY, "the server to accept queries", server::ready);
        server.stop();
        PostgresServer.Config first = server.config();
        server = new PostgresServer(new PostgresServer.Config(first.binaries(), first.user(), first.dataDir(),
                scratch.resolve("sockets-of-the-next"), LoopbackPort.free(), first.logFile()));

        server.initialize();
        server.start(UnaryOperator.identity());

        Await.until(READY, "the next server to accept queries", server::ready);
        assertThat(scratch.resolve("sockets-of-the-next/.s.PGSQL." + server.config().port())).exists();
    }

    @Test
    void sizedSettingsApplyWithAReloadAndEndpointSettingsFromTheirFile() throws Exception {
        server.initialize();
        server.writeEndpointSettings(Map.of("statement_timeout", "5s"));
        server.start(UnaryOperator.identity());
        Await.until(READY, "the server to accept queries", server::ready);
        assertThat(query("SHOW statement_timeout")).isEqualTo("5s");

        server.alterSystem(Map.of("work_mem", "64MB", "effective_cache_size", "3GB"));
        server.writeEndpointSettings(Map.of("statement_timeout", "7s"));
        server.reload();

        Await.until(READY, "work_mem applied", () -> "64MB".equals(queryQuietly("SHOW work_mem")));
        assertThat(query("SHOW effective_cache_size")).isEqualTo("3GB");
        assertThat(query("SHOW statement_timeout")).isEqualTo("7s");
    }

    @Test
    void aServerStartedThroughItsCgroupRunsEveryProcessThere() throws Exception {
        CgroupLayout layout = CgroupLayout.detect();
        assumeTrue(layout.version() != CgroupLayout.Version.NONE, "needs cgroups with the cpu and memory controllers");
        CgroupTree tree = new CgroupTree(layout, "tidepool-test-" + UUID.randomUUID().toString().substring(0, 8));
        try {
            tree.prepare();
        } catch (IOException e) {
            assumeTrue(false, "needs to write cgroups (run as root): " + e.getMessage());
        }
        ComputeCgroup cgroup = tree.compute("pg");
        cgroup.create();
        try {
            server.initialize();
            server.start(cgroup::joiningCommand);
            Await.until(READY, "the server to accept queries", server::ready);

            assertThat(cgroup.processes()).contains(server.pid()).hasSizeGreaterThan(3);
            assertThat(cgroup.memoryUsage().value()).as("shared buffers and backends are charged here").isPositive();
        } finally {
            server.stop();
            Await.until(Duration.ofSeconds(30), "the cgroup empty", () -> {
                try {
                    return cgroup.processes().isEmpty();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            cgroup.remove();
            tree.removeParent();
        }
    }

    private String query(String sql) throws SQLException {
        try (Connection connection = server.connect(Duration.ofSeconds(5)); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        }
    }

    private String queryQuietly(String sql) {
        try {
            return query(sql);
        } catch (SQLException e) {
            return null;
        }
    }

}
