package io.tidepool.proxy;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tidepool.postgres.OsUser;
import io.tidepool.postgres.PostgresBinaries;
import io.tidepool.postgres.PostgresServer;
import io.tidepool.store.Await;
import io.tidepool.store.LoopbackPort;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The real Postgres the proxy's tests put behind it, one for a test class ({@code @RegisterExtension
 * static}), and how they talk to it; the class is skipped, saying why, without Postgres 15.
 */
final class BackendPostgres implements BeforeAllCallback, AfterAllCallback {
    static final Duration READY = Duration.ofSeconds(60);

    private Path scratch;
    private PostgresServer server;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        Optional<PostgresBinaries> binaries = PostgresBinaries.find("15");
        assumeTrue(binaries.isPresent(), "needs Postgres 15 (postgresql-15, or postgres 15 on PATH)");
        scratch = Files.createTempDirectory("backend-postgres-");
        Files.setPosixFilePermissions(scratch, PosixFilePermissions.fromString("rwxr-xr-x"));
        server = new PostgresServer(new PostgresServer.Config(binaries.get(), OsUser.forComputes("tidepool"),
                scratch.resolve("data"), scratch.resolve("sockets"), LoopbackPort.free(), scratch.resolve("postgres.log")));
        server.initialize();
        server.start(UnaryOperator.identity());
        Await.until(READY, "Postgres to accept queries", server::ready);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (server != null) {
            server.stop();
        }
        if (scratch != null) {
            try (Stream<Path> files = Files.walk(scratch)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    PostgresServer server() {
        return server;
    }

    /** An endpoint whose primary is this server, running. */
    EndpointState running() {
        return new EndpointState(Optional.of(new EndpointState.Backend("127.0.0.1", server.config().port())),
                false, false, false, false, null);
    }

    static Connection connect(int port, Map<String, String> options) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", PostgresServer.SUPERUSER);
        properties.setProperty("connectTimeout", "30");
        properties.setProperty("sslmode", "disable");
        properties.putAll(options);
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", properties);
    }

    /** The first column of the first row. */
    static String queryOn(Statement statement, String sql) {
        try (ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
