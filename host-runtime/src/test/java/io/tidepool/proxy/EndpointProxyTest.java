package io.tidepool.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The proxy in front of one real Postgres; skipped, saying why, where the machine has no Postgres 15. */
class EndpointProxyTest {
    private static final Duration READY = Duration.ofSeconds(60);
    @TempDir
    static Path scratch;
    private static PostgresServer server;
    private static EndpointState running;

    private final RouteTable routes = new RouteTable();
    private final Map<String, Instant> active = new ConcurrentHashMap<>();
    private EndpointProxy proxy;

    @BeforeAll
    static void startPostgres() throws Exception {
        Optional<PostgresBinaries> binaries = PostgresBinaries.find("15");
        assumeTrue(binaries.isPresent(), "needs Postgres 15 (postgresql-15, or postgres 15 on PATH)");
        Files.setPosixFilePermissions(scratch, PosixFilePermissions.fromString("rwxr-xr-x"));
        server = new PostgresServer(new PostgresServer.Config(binaries.get(), OsUser.forComputes("tidepool"),
                scratch.resolve("data"), scratch.resolve("sockets"), LoopbackPort.free(), scratch.resolve("postgres.log")));
        server.initialize();
        server.start(UnaryOperator.identity());
        Await.until(READY, "Postgres to accept queries", server::ready);
        running = new EndpointState(Optional.of(new EndpointState.Backend("127.0.0.1", server.config().port())),
                false, false, false, false, null);
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        if (server != null) {
            server.stop();
        }
    }

    @AfterEach
    void closeProxy() {
        if (proxy != null) {
            proxy.close();
        }
    }

    private int start(EndpointProxy.Settings settings, EndpointProxy.Wakeup wakeup) throws Exception {
        proxy = new EndpointProxy(settings, routes, wakeup, new ProxyActivity(Clock.systemUTC(), active::put),
                Clock.systemUTC());
        return proxy.serve("shop", 0);
    }

    @Test
    void aQueryThroughTheEndpointsPortReachesItsPrimaryAndCountsAsActivity() throws Exception {
        routes.put("shop", running);
        int port = start(EndpointProxy.Settings.of("127.0.0.1"), endpoint -> { });

        assertThat(query(port, "SELECT 6 * 7", Map.of())).isEqualTo("42");
        assertThat(active).containsKey("shop");
        Await.until(READY, "the connection counted closed", () -> proxy.activity().of("shop").orElseThrow().openConnections() == 0);
    }

    @Test
    void theFirstConnectionToASuspendedEndpointWakesItAndIsHeldUntilItRuns() throws Exception {
        routes.put("shop", new EndpointState(Optional.empty(), true, false, false, false, null));
        AtomicInteger wakes = new AtomicInteger();
        int port = start(EndpointProxy.Settings.of("127.0.0.1"), endpoint -> {
            wakes.incrementAndGet();
            // Placement and the host agent take their time, on their own threads.
            CompletableFuture.runAsync(() -> {
                routes.put(endpoint, new EndpointState(Optional.empty(), true, true, false, false, null));
                routes.put(endpoint, new EndpointState(Optional.empty(), false, false, false, false, null));
                routes.put(endpoint, running);
            });
        });

        assertThat(query(port, "SELECT 'awake'", Map.of())).isEqualTo("awake");
        assertThat(wakes).hasValue(1);
    }

    @Test
    void aConnectionHeldPastItsBoundGetsAClearError() throws Exception {
        routes.put("shop", new EndpointState(Optional.empty(), true, false, false, false, null));
        List<String> woken = new CopyOnWriteArrayList<>();
        int port = start(EndpointProxy.Settings.of("127.0.0.1")
                .withBounds(new Admission.Bounds(Duration.ofMillis(300), Duration.ofMillis(300))), woken::add);

        assertThatThrownBy(() -> query(port, "SELECT 1", Map.of()))
                .isInstanceOfSatisfying(SQLException.class, e -> {
                    assertThat(e.getSQLState()).isEqualTo(ErrorResponse.CANNOT_CONNECT_NOW);
                    assertThat(e.getMessage()).contains("endpoint shop did not resume within 300 ms; try again");
                });
        assertThat(woken).containsExactly("shop");
    }

    @Test
    void aSimulatedEndpointIsRefusedSayingWhy() throws Exception {
        routes.put("shop", new EndpointState(Optional.empty(), false, false, false, true, null));
        int port = start(EndpointProxy.Settings.of("127.0.0.1"), endpoint -> { });

        assertThatThrownBy(() -> query(port, "SELECT 1", Map.of())).hasMessageContaining("no Postgres to connect to");
    }

    @Test
    void tlsWithASelfSignedCertificateServesSslmodeRequire() throws Exception {
        Path cert = scratch.resolve("proxy.crt");
        Path key = scratch.resolve("proxy.key");
        Process openssl;
        try {
            openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=127.0.0.1", "-keyout", key.toString(), "-out", cert.toString())
                    .redirectErrorStream(true).redirectOutput(scratch.resolve("openssl.log").toFile()).start();
        } catch (java.io.IOException e) {
            assumeTrue(false, "needs openssl to make a self-signed certificate: " + e.getMessage());
            return;
        }
        assertThat(openssl.waitFor()).as("openssl req exit status").isZero();
        routes.put("shop", running);
        int port = start(EndpointProxy.Settings.of("127.0.0.1").withTls(Optional.of(ProxyTls.context(cert, key))),
                endpoint -> { });

        assertThat(query(port, "SELECT 'secret'", Map.of("sslmode", "require"))).isEqualTo("secret");
    }

    @Test
    void withoutTlsAClientThatRequiresItIsToldNo() throws Exception {
        routes.put("shop", running);
        int port = start(EndpointProxy.Settings.of("127.0.0.1"), endpoint -> { });

        assertThatThrownBy(() -> query(port, "SELECT 1", Map.of("sslmode", "require")))
                .hasMessageContaining("does not support SSL");
        assertThat(query(port, "SELECT 'plain'", Map.of("sslmode", "prefer"))).isEqualTo("plain");
    }

    @Test
    void aCancelRequestReachesTheBackendOfItsQuery() throws Exception {
        routes.put("shop", running);
        int port = start(EndpointProxy.Settings.of("127.0.0.1"), endpoint -> { });
        try (Connection connection = connect(port, Map.of()); Statement statement = connection.createStatement()) {
            CompletableFuture<Void> cancelled = CompletableFuture.runAsync(() -> {
                Await.until(READY, "the long query to run", () -> "1".equals(queryQuietly(port,
                        "SELECT count(*) FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(60)'")));
                try {
                    statement.cancel();
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThatThrownBy(() -> statement.execute("SELECT pg_sleep(60)"))
                    .hasMessageContaining("canceling statement due to user request");
            cancelled.join();
        }
    }

    private static Connection connect(int port, Map<String, String> options) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", PostgresServer.SUPERUSER);
        properties.setProperty("connectTimeout", "30");
        properties.setProperty("sslmode", "disable");
        properties.putAll(options);
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", properties);
    }

    private static String query(int port, String sql, Map<String, String> options) throws SQLException {
        try (Connection connection = connect(port, options); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        }
    }

    private static String queryQuietly(int port, String sql) {
        try {
            return query(port, sql, Map.of());
        } catch (SQLException e) {
            return null;
        }
    }
}
