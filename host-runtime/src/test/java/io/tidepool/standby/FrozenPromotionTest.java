package io.tidepool.standby;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tidepool.postgres.OsUser;
import io.tidepool.postgres.PostgresBinaries;
import io.tidepool.postgres.PostgresServer;
import io.tidepool.store.Await;
import io.tidepool.store.LoopbackPort;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client connects to a standby whose postmaster is frozen, the primary stops, the standby is
 * promoted with its postmaster still frozen and then thawed: the client's first statement is a
 * write, and it commits. Real Postgres; skipped, saying why, where the machine has no Postgres 15.
 */
class FrozenPromotionTest {
    private static final Duration READY = Duration.ofSeconds(60);
    private static PostgresBinaries binaries;

    @TempDir
    Path scratch;
    private PostgresServer primary;
    private PostgresServer standby;

    @BeforeAll
    static void needsPostgres() throws Exception {
        binaries = PostgresBinaries.find("15").orElse(null);
        assumeTrue(binaries != null, "needs Postgres 15 (postgresql-15, or postgres 15 on PATH)");
    }

    @AfterEach
    void stopServers() throws Exception {
        if (standby != null) {
            standby.thaw();
            standby.stop();
        }
        if (primary != null) {
            primary.stop();
        }
    }

    @Test
    void aClientThatConnectsWhileThePostmasterIsFrozenWritesToThePromotedStandby() throws Exception {
        startPrimaryAndStandby();
        standby.freeze();
        CompletableFuture<String> client = CompletableFuture.supplyAsync(() -> {
            try (Connection connection = PostgresServer.connect("127.0.0.1", standby.config().port(), "postgres", READY);
                 Statement statement = connection.createStatement()) {
                statement.execute("INSERT INTO orders VALUES (2)");
                return query(statement, "SELECT pg_is_in_recovery()::text");
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        Await.until(READY, "the client's connection in the frozen postmaster's backlog",
                () -> establishedTo(standby.config().port()) > 0);

        primary.stop();
        FrozenPromotion.promote(standby, READY);
        assertThat(client).as("nothing is accepted while the postmaster is frozen").isNotDone();
        standby.thaw();

        assertThat(client.get(READY.toSeconds(), TimeUnit.SECONDS)).as("the client's session in recovery").isEqualTo("false");
        try (Connection connection = standby.connect(READY); Statement statement = connection.createStatement()) {
            assertThat(query(statement, "SELECT string_agg(id::text, ',' ORDER BY id) FROM orders")).isEqualTo("1,2");
        }
    }

    @Test
    void aServerThatIsNotAStandbyIsRefusedSayingSo() throws Exception {
        primary = server("primary");
        primary.initialize();
        primary.start(UnaryOperator.identity());
        Await.until(READY, "the primary to accept queries", primary::ready);

        assertThatThrownBy(() -> FrozenPromotion.promote(primary, READY)).isInstanceOf(IOException.class)
                .hasMessageContaining("has no startup process: it is not a standby");
    }

    private void startPrimaryAndStandby() throws Exception {
        primary = server("primary");
        primary.initialize();
        primary.start(UnaryOperator.identity());
        Await.until(READY, "the primary to accept queries", primary::ready);
        try (Connection connection = primary.connect(READY); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE orders (id int)");
            statement.execute("INSERT INTO orders VALUES (1)");
        }
        standby = server("standby");
        standby.baseBackup("127.0.0.1", primary.config().port(), UnaryOperator.identity());
        standby.start(UnaryOperator.identity());
        Await.until(READY, "the standby streaming", () -> {
            try {
                return standby.ready() && Replication.streaming(standby);
            } catch (SQLException e) {
                return false;
            }
        });
    }

    private PostgresServer server(String name) throws IOException, InterruptedException {
        // The computes' user must reach its data directory through the test's own.
        Files.setPosixFilePermissions(scratch, PosixFilePermissions.fromString("rwxr-xr-x"));
        return new PostgresServer(new PostgresServer.Config(binaries, OsUser.forComputes("tidepool"), scratch.resolve(name),
                scratch.resolve(name + "-sockets"), LoopbackPort.free(), scratch.resolve(name + ".log")));
    }

    /** Established TCP connections whose local end is {@code port}: those the kernel accepted for a listener there. */
    private static long establishedTo(int port) {
        String local = String.format(":%04X ", port);
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/net/tcp"));
            return lines.stream().skip(1).map(String::trim)
                    .filter(line -> line.split("\\s+")[1].endsWith(local.trim()) && "01".equals(line.split("\\s+")[3]))
                    .count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String query(Statement statement, String sql) {
        try (ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
