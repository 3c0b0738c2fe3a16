package io.tidepool.server.hosts;

import com.fasterxml.jackson.databind.JsonNode;
import io.tidepool.postgres.PostgresServer;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Looks at an endpoint through a switch, over and over, from beside the fleet: the addresses its
 * status gave, how many primaries the store had, how many of its Postgres servers accepted writes
 * at once (asking each postmaster any host runs for it, not the store), and every host whose
 * computes held more than its capacity. What it saw is asserted once the switch is over.
 */
final class SwitchWatch implements AutoCloseable {
    /** Between looks: pacing the sampling, not waiting for a condition. */
    private static final long LOOK_PAUSE_NANOS = Duration.ofMillis(20).toNanos();

    private final ProxiedFleet fleet;
    private final String endpoint;
    private final Set<String> addresses = ConcurrentHashMap.newKeySet();
    private final AtomicInteger mostStorePrimaries = new AtomicInteger();
    private final AtomicInteger mostWritable = new AtomicInteger();
    private final AtomicInteger looks = new AtomicInteger();
    private final List<String> overCapacity = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean closed;

    private SwitchWatch(ProxiedFleet fleet, String endpoint) {
        this.fleet = fleet;
        this.endpoint = endpoint;
        this.thread = new Thread(this::run, "switch-watch-" + endpoint);
        thread.setDaemon(true);
    }

    static SwitchWatch start(ProxiedFleet fleet, String endpoint) {
        SwitchWatch watch = new SwitchWatch(fleet, endpoint);
        watch.thread.start();
        return watch;
    }

    /** Every status.address seen; for a status without one, "(none) in" that status. */
    Set<String> addresses() {
        return Set.copyOf(addresses);
    }

    int mostStorePrimaries() {
        return mostStorePrimaries.get();
    }

    /** The most Postgres servers of the endpoint that were out of recovery (writable) at one look. */
    int mostWritable() {
        return mostWritable.get();
    }

    List<String> overCapacity() {
        return List.copyOf(overCapacity);
    }

    int looks() {
        return looks.get();
    }

    private void run() {
        while (!closed) {
            try {
                look();
                looks.incrementAndGet();
            } catch (RuntimeException | AssertionError e) {
                // The API of a fleet shutting down: the next look, or close, decides.
            }
            LockSupport.parkNanos(LOOK_PAUSE_NANOS);
        }
    }

    private void look() {
        JsonNode status = fleet.fleet().getJson("/api/v1/endpoints/" + endpoint).path("status");
        String address = status.path("address").asText(null);
        addresses.add(address != null ? address : "(none) in " + status);
        int primaries = 0;
        for (JsonNode compute : fleet.computesOf(endpoint)) {
            if ("primary".equals(compute.at("/spec/role").asText())) {
                primaries++;
            }
        }
        mostStorePrimaries.accumulateAndGet(primaries, Math::max);
        int writable = 0;
        for (PostgresServer server : fleet.serversOf(endpoint)) {
            if (server.alive() && writable(server)) {
                writable++;
            }
        }
        mostWritable.accumulateAndGet(writable, Math::max);
        for (JsonNode host : fleet.fleet().getJson("/api/v1/hosts").get("items")) {
            String allocated = host.at("/status/allocatedCu").asText("0");
            String capacity = host.at("/status/capacityCu").asText(null);
            if (capacity != null && new BigDecimal(allocated).compareTo(new BigDecimal(capacity)) > 0) {
                overCapacity.add(host.at("/metadata/name").asText() + " held " + allocated + " of " + capacity + " CU");
            }
        }
    }

    /** Whether the server is out of recovery; one that does not answer is not counted, as it takes no writes. */
    private static boolean writable(PostgresServer server) {
        Properties properties = new Properties();
        properties.setProperty("user", "postgres");
        properties.setProperty("connectTimeout", "1");
        properties.setProperty("socketTimeout", "2");
        try (Connection connection = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + server.config().port()
                + "/postgres", properties); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT pg_is_in_recovery()")) {
            return rows.next() && !rows.getBoolean(1);
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        thread.join(Duration.ofSeconds(10).toMillis());
    }

    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        parts.add(looks() + " looks");
        parts.add("addresses " + addresses());
        parts.add("at most " + mostStorePrimaries() + " primaries in the store, " + mostWritable() + " writable servers");
        parts.add("over capacity: " + overCapacity());
        return String.join("; ", parts);
    }
}
