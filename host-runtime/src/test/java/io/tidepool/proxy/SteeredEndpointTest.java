package io.tidepool.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tidepool.store.Await;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * New connections handed by the kernel straight to a real Postgres on this machine; skipped, saying
 * why, where the machine has no Postgres 15 or does not let the proxy steer (root, BPF sk_lookup).
 * Postgres's {@code inet_server_port()} tells the two paths apart: a steered connection was
 * addressed to the proxy's port, a relayed one comes from the proxy to Postgres's own.
 */
class SteeredEndpointTest {
    private static final Duration READY = BackendPostgres.READY;
    @RegisterExtension
    static final BackendPostgres POSTGRES = new BackendPostgres();

    private final RouteTable routes = new RouteTable();
    private final Map<String, Instant> active = new ConcurrentHashMap<>();
    private EndpointProxy proxy;
    private int port;

    @AfterEach
    void closeProxy() {
        if (proxy != null) {
            proxy.close();
        }
    }

    private void start() throws Exception {
        proxy = new EndpointProxy(EndpointProxy.Settings.of("127.0.0.1"), routes, endpoint -> { },
                new ProxyActivity(Clock.systemUTC(), active::put), Clock.systemUTC());
        assumeTrue(proxy.steers(), "steering needs root, BPF sk_lookup (Linux 5.9) and x86-64 (the proxy's log says which"
                + " is missing)");
        port = proxy.serve("shop", 0);
    }

    @Test
    void aNewConnectionGoesStraightToTheLocalPrimaryAndStillCountsAsActivity() throws Exception {
        routes.put("shop", POSTGRES.running());
        start();
        Await.until(READY, "the port steered to the primary", () -> proxy.steered().containsKey("shop"));
        assertThat(proxy.steered()).containsEntry("shop", POSTGRES.running().backend().orElseThrow());

        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            assertThat(queryOn(statement, "SELECT inet_server_port()")).isEqualTo(String.valueOf(port));
            assertThat(proxy.splicedConnections()).isZero();
            assertThat(proxy.activity().proxied("shop")).isZero();
            active.clear();
            Await.until(READY, "the steered connection seen, and its queries counted as activity", () -> {
                queryOn(statement, "SELECT 1");
                return active.containsKey("shop") && proxy.activity().of("shop").orElseThrow().openConnections() == 1;
            });
        }
        Await.until(READY, "the connection counted closed", () -> proxy.activity().of("shop").orElseThrow().openConnections() == 0);
    }

    @Test
    void aSwitchoverReleasesThePortSoThatNewConnectionsAreHeldThenSteeredAgain() throws Exception {
        routes.put("shop", POSTGRES.running());
        start();
        Await.until(READY, "the port steered to the primary", () -> proxy.steered().containsKey("shop"));

        routes.put("shop", new EndpointState(Optional.empty(), false, false, true, false, null));
        Await.until(READY, "the port released", () -> proxy.steered().isEmpty());
        CompletableFuture<String> held = CompletableFuture.supplyAsync(() -> {
            try (Connection connection = connect(); Statement statement = connection.createStatement()) {
                return queryOn(statement, "SELECT inet_server_port()");
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        Await.until(READY, "the new connection held at the proxy", () -> proxy.activity().proxied("shop") == 1);
        assertThat(held).isNotDone();

        routes.put("shop", POSTGRES.running());
        assertThat(held.get()).as("the held connection, relayed to Postgres's own port")
                .isEqualTo(String.valueOf(POSTGRES.server().config().port()));
        Await.until(READY, "the port steered again", () -> proxy.steered().containsKey("shop"));
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            assertThat(queryOn(statement, "SELECT inet_server_port()")).isEqualTo(String.valueOf(port));
        }
    }

    @Test
    void whenThePrimarysListenerClosesItsPortFallsBackToTheProxy() throws Exception {
        try (ServerSocket primary = new ServerSocket()) {
            primary.bind(new InetSocketAddress("127.0.0.1", 0));
            routes.put("shop", new EndpointState(Optional.of(new EndpointState.Backend("127.0.0.1", primary.getLocalPort())),
                    false, false, false, false, null));
            start();
            Await.until(READY, "the port steered to the listener", () -> proxy.steered().containsKey("shop"));
            try (Socket client = new Socket("127.0.0.1", port); Socket accepted = primary.accept()) {
                assertThat(accepted.getLocalPort()).as("accepted by the primary, addressed to the proxy").isEqualTo(port);
            }
        }
        // The steering still names the closed listener; the kernel dropped it from the map with its last descriptor.
        try (Socket client = new Socket("127.0.0.1", port)) {
            Await.until(READY, "the connection taken by the proxy", () -> proxy.activity().proxied("shop") == 1);
        }
    }

    private static String queryOn(Statement statement, String sql) {
        return BackendPostgres.queryOn(statement, sql);
    }

    private Connection connect() throws SQLException {
        return BackendPostgres.connect(port, Map.of());
    }
}
