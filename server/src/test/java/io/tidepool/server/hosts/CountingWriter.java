package io.tidepool.server.hosts;

import io.tidepool.server.LocalFleet;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A tenant's client that inserts numbered rows into {@code written (id bigint)}, one transaction
 * each, through the endpoint's address as its status gives it now, reconnecting when its
 * connection ends. It keeps the numbers whose commit Postgres acknowledged: every one of them must
 * be there after any switch. A number whose commit was not acknowledged is never used again.
 */
final class CountingWriter implements AutoCloseable {
    /** Between failed attempts: pacing a client's reconnects, not waiting for a condition. */
    private static final int MAX_MESSAGES_KEPT = 10;
    private static final long RECONNECT_PAUSE_NANOS = Duration.ofMillis(20).toNanos();

    private final LocalFleet fleet;
    private final String endpoint;
    private final Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
    private final AtomicLong failures = new AtomicLong();
    /** What the failed attempts were told, a few distinct ones: what a client sees at a switch. */
    private final Set<String> failureMessages = ConcurrentHashMap.newKeySet();
    private final Thread thread;
    private volatile boolean closed;

    private CountingWriter(LocalFleet fleet, String endpoint) {
        this.fleet = fleet;
        this.endpoint = endpoint;
        this.thread = new Thread(this::run, "counting-writer-" + endpoint);
        thread.setDaemon(true);
    }

    static CountingWriter start(LocalFleet fleet, String endpoint) throws SQLException {
        TenantDatabase.current(fleet, endpoint).execute("CREATE TABLE IF NOT EXISTS written (id bigint PRIMARY KEY)");
        CountingWriter writer = new CountingWriter(fleet, endpoint);
        writer.thread.start();
        return writer;
    }

    Set<Long> acknowledged() {
        return Set.copyOf(acknowledged);
    }

    long failures() {
        return failures.get();
    }

    Set<String> failureMessages() {
        return Set.copyOf(failureMessages);
    }

    private void run() {
        long next = 1;
        while (!closed) {
            try (Connection connection = connect(TenantDatabase.current(fleet, endpoint).address());
                 PreparedStatement insert = connection.prepareStatement("INSERT INTO written VALUES (?)")) {
                while (!closed) {
                    long id = next++;
                    insert.setLong(1, id);
                    insert.executeUpdate(); // autocommit: returning means committed
                    acknowledged.add(id);
                }
            } catch (SQLException | RuntimeException e) {
                failures.incrementAndGet();
                if (failureMessages.size() < MAX_MESSAGES_KEPT) {
                    failureMessages.add(String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
                }
                LockSupport.parkNanos(RECONNECT_PAUSE_NANOS);
            }
        }
    }

    private static Connection connect(String address) throws SQLException {
        if (address == null) {
            throw new SQLException("no address now");
        }
        URI uri = URI.create(address);
        Properties properties = new Properties();
        properties.setProperty("user", uri.getUserInfo());
        properties.setProperty("connectTimeout", "2");
        properties.setProperty("socketTimeout", "5");
        return DriverManager.getConnection("jdbc:postgresql://" + uri.getHost() + ":" + uri.getPort() + uri.getPath(), properties);
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        thread.join(Duration.ofSeconds(10).toMillis());
    }
}
