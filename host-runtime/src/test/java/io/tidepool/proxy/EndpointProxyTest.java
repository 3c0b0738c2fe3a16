package io.tidepool.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tidepool.store.Await;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The proxy in front of one real Postgres; skipped, saying why, where the machine has no Postgres 15. */
class EndpointProxyTest {
    private static final Duration READY = BackendPostgres.READY;
    @RegisterExtension
    static final BackendPostgres POSTGRES = new BackendPostgres();
    @TempDir
    Path scratch;

    private final RouteTable routes = new RouteTable();
    private final Map<String, Instant> active = new ConcurrentHashMap<>();
    private EndpointProxy proxy;

    @AfterEach
    void closeProxy() {
        if (proxy != null) {
            proxy.close();
        }
    }

    /** The proxy in every connection: what these tests are about (steering has SteeredEndpointTest). */
    private static EndpointProxy.Settings relaying() {
        return EndpointProxy.Settings.of("127.0.0.1").withForwarding(Forwarding.SPLICE);
    }

    private int start(EndpointProxy.Settings settings, EndpointProxy.Wakeup wakeup) throws Exception {
        proxy = new EndpointProxy(settings, routes, wakeup, new ProxyActivity(Clock.systemUTC(), active::put),
                Clock.systemUTC());
        return proxy.serve("shop", 0);
    }

    @Test
    void aQueryThroughTheEndpointsPortReachesItsPrimaryAndCountsAsActivity() throws Exception {
        routes.put("shop", POSTGRES.running());
        int port = start(relaying(), endpoint -> { });

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
                routes.put(endpoint, POSTGRES.running());
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
        routes.put("shop", POSTGRES.running());
        int port = start(EndpointProxy.Settings.of("127.0.0.1").withTls(Optional.of(ProxyTls.context(cert, key))),
                endpoint -> { });

        assertThat(query(port, "SELECT 'secret'", Map.of("sslmode", "require"))).isEqualTo("secret");
    }

    @Test
    void withoutTlsAClientThatRequiresItIsToldNo() throws Exception {
        routes.put("shop", POSTGRES.running());
        int port = start(relaying(), endpoint -> { });

        assertThatThrownBy(() -> query(port, "SELECT 1", Map.of("sslmode", "require")))
                .hasMessageContaining("does not support SSL");
        assertThat(query(port, "SELECT 'plain'", Map.of("sslmode", "prefer"))).isEqualTo("plain");
    }

    @Test
    void aCancelRequestReachesTheBackendOfItsQuery() throws Exception {
        routes.put("shop", POSTGRES.running());
        int port = start(relaying(), endpoint -> { });
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

    @Test
    void onceReadyAPlainConnectionIsMovedByTheKernelBothWaysAndStillCountsAsActivity() throws Exception {
        routes.put("shop", POSTGRES.running());
        int port = start(relaying(), endpoint -> { });
        assumeTrue(proxy.splices(), "the kernel splice needs root, BPF sockmap support and --add-opens"
                + " java.base/sun.nio.ch=ALL-UNNAMED (the proxy's log says which is missing)");
        try (Connection connection = connect(port, Map.of()); Statement statement = connection.createStatement()) {
            assertThat(proxy.splicedConnections()).isEqualTo(1);
            assertThat(proxy.directlySplicedConnections()).as("spliced to the local backend's own socket, where the kernel can")
                    .isEqualTo(proxy.splicesDirect() ? 1 : 0);
            for (int i = 0; i < 500; i++) {
                try (ResultSet rows = statement.executeQuery("SELECT " + i)) {
                    rows.next();
                    assertThat(rows.getInt(1)).isEqualTo(i);
                }
            }
            // More than the sockets' buffers hold, each way: the kernel waits for the slow side.
            String big = "x".repeat(4 << 20);
            try (var insert = connection.prepareStatement("SELECT length(?), md5(?)")) {
                insert.setString(1, big);
                insert.setString(2, big);
                try (ResultSet rows = insert.executeQuery()) {
                    rows.next();
                    assertThat(rows.getInt(1)).isEqualTo(big.length());
                }
            }
            try (ResultSet rows = statement.executeQuery("SELECT sum(length(repeat('y', 1000) || g)) FROM generate_series(1, 20000) g")) {
                rows.next();
                assertThat(rows.getLong(1)).isEqualTo(20_000L * 1000 + 88_894);
            }
            active.clear();
            Await.until(READY, "spliced bytes counted as the endpoint's activity", () -> {
                queryOn(statement, "SELECT 1");
                return active.containsKey("shop");
            });
        }
        Await.until(READY, "the spliced connection closed on both sides", () -> proxy.splicedConnections() == 0
                && proxy.activity().of("shop").orElseThrow().openConnections() == 0);
        assertThat(proxy.undrainedConnections()).as("the client's Terminate reached the backend before the close").isZero();
    }

    @Test
    void aBackendThatEndsASplicedConnectionEndsItForTheClient() throws Exception {
        routes.put("shop", POSTGRES.running());
        int port = start(relaying(), endpoint -> { });
        assumeTrue(proxy.splices(), "the kernel splice needs root, BPF sockmap support and --add-opens"
                + " java.base/sun.nio.ch=ALL-UNNAMED (the proxy's log says which is missing)");
        try (Connection connection = connect(port, Map.of()); Statement statement = connection.createStatement()) {
            int pid;
            try (ResultSet rows = statement.executeQuery("SELECT pg_backend_pid()")) {
                rows.next();
                pid = rows.getInt(1);
            }
            assertThat(query(port, "SELECT pg_terminate_backend(" + pid + ")", Map.of())).isEqualTo("t");
            // What the kernel was moving when the backend hung up reaches the client before the proxy closes.
            assertThatThrownBy(() -> statement.executeQuery("SELECT 1")).isInstanceOf(SQLException.class)
                    .hasMessageContaining("terminating connection due to administrator command");
        }
        Await.until(READY, "the proxy's side closed too", () -> proxy.splicedConnections() == 0
                && proxy.activity().of("shop").orElseThrow().openConnections() == 0);
        assertThat(proxy.undrainedConnections()).as("the backend's FATAL reached the client before the close").isZero();
    }

    @Test
    void withoutTheSpliceTheProxyCopiesEveryByte() throws Exception {
        routes.put("shop", POSTGRES.running());
        int port = start(EndpointProxy.Settings.of("127.0.0.1").withForwarding(Forwarding.COPY), endpoint -> { });

        try (Connection connection = connect(port, Map.of()); Statement statement = connection.createStatement()) {
            assertThat(queryOn(statement, "SELECT 'copied'")).isEqualTo("copied");
            assertThat(proxy.splices()).isFalse();
            assertThat(proxy.splicedConnections()).isZero();
        }
    }

    private static String queryOn(Statement statement, String sql) {
        return BackendPostgres.queryOn(statement, sql);
    }

    private static Connection connect(int port, Map<String, String> options) throws SQLException {
        return BackendPostgres.connect(port, options);
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
