package io.tidepool.server.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * The clients of the switch benchmark, all through one address (the endpoint proxy's):
 * <ul>
 *   <li>readers: pgbench's select-only transaction, each on one connection, reconnecting when it
 *       ends (as a pool does), counted per 10 ms since the load started ({@link PgbenchReader});</li>
 *   <li>a prober: opens a new connection every 50 ms and times it to its first answer, which is
 *       the pause a new client sees while the proxy holds it during a switch;</li>
 *   <li>a writer: inserts numbered rows, one transaction each, keeping the numbers whose commit
 *       was acknowledged; all must be present afterwards.</li>
 * </ul>
 */
final class SwitchLoad implements AutoCloseable {
    /** Between failed attempts: pacing reconnects, not waiting for a condition. */
    private static final long RETRY_PAUSE_NANOS = Duration.ofMillis(10).toNanos();
    private static final long PROBE_EVERY_NANOS = Duration.ofMillis(50).toNanos();
    private static final int MAX_SECONDS = 3600;
    /** The switch's pause ends within this of the fence, or the bench fails it anyway. */
    private static final Duration PAUSE_WITHIN = Duration.ofSeconds(30);
    /** The readers' transactions are counted in slots of this many microseconds. */
    private static final long SLOT_MICROS = 10_000;
    private static final int SLOTS_PER_SECOND = (int) (1_000_000 / SLOT_MICROS);

    private final String jdbcUrl;
    private final Properties login = new Properties();
    private final long startedNanos = System.nanoTime();
    private final long startedEpochMicros = epochMicros();
    private final AtomicLongArray perSlot = new AtomicLongArray(MAX_SECONDS * SLOTS_PER_SECOND);
    private final AtomicLong failedConnects = new AtomicLong();
    private final AtomicLong writeFailures = new AtomicLong();
    private final Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
    /** Each probe: when it started (ns since the load started) and how long until its first answer. */
    private final List<long[]> probes = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final List<PgbenchReader> readers = new ArrayList<>();
    private final AtomicBoolean stopped = new AtomicBoolean();

    private SwitchLoad(String address) {
        URI uri = URI.create(address);
        this.jdbcUrl = "jdbc:postgresql://" + uri.getHost() + ":" + uri.getPort() + uri.getPath();
        login.setProperty("user", uri.getUserInfo());
        login.setProperty("connectTimeout", "30");
        login.setProperty("socketTimeout", "30");
    }

    static SwitchLoad start(String address, int readers) throws SQLException, IOException, InterruptedException {
        SwitchLoad load = new SwitchLoad(address);
        try (Connection connection = load.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS written (id bigint PRIMARY KEY)");
        }
        Path logs = Files.createTempDirectory("switch-load-");
        for (int i = 0; i < readers; i++) {
            PgbenchReader reader = new PgbenchReader(address, logs, "reader-" + i, load.stopped);
            load.readers.add(reader);
            load.spawn("reader-" + i, reader);
        }
        load.spawn("prober", load::probe);
        load.spawn("writer", load::write);
        return load;
    }

    /** Connects through {@code address}, again until one connection answers a query: a resume's wait, as a client sees it. */
    static void awaitFirstAnswer(String address, Duration timeout) throws SQLException {
        SwitchLoad client = new SwitchLoad(address);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try (Connection connection = client.connect(); Statement statement = connection.createStatement();
                 ResultSet row = statement.executeQuery("SELECT 1")) {
                row.next();
                return;
            } catch (SQLException e) {
                if (System.nanoTime() - deadline > 0) {
                    throw e;
                }
                LockSupport.parkNanos(RETRY_PAUSE_NANOS);
            }
        }
    }

    /** Seconds since the load started, for lining up the counts with the switch. */
    double secondsNow() {
        return (System.nanoTime() - startedNanos) / 1e9;
    }

    /** The readers' transactions that completed in {@code second}; known once the load is closed. */
    long transactionsIn(int second) {
        return transactionsBetween(second, second + 1);
    }

    /** The readers' transactions that completed within [from, to) seconds, to the slot. */
    long transactionsBetween(double from, double to) {
        long count = 0;
        for (long slot = Math.max(0, slot(from)); slot < Math.min(perSlot.length(), slot(to)); slot++) {
            count += perSlot.get((int) slot);
        }
        return count;
    }

    /**
     * When the readers answered again after {@code fence}: the end of the longest gap in their
     * answers (slots with none) in the {@link #PAUSE_WITHIN} after it; {@code orElse} when they
     * never paused. The longest, not the first: on a busy machine the readers can miss a slot or
     * two before the switch's pause, which would put the resume before the pause.
     */
    double resumedAfter(double fence, double orElse) {
        long from = Math.max(0, slot(fence));
        long to = Math.min(perSlot.length(), slot(fence + PAUSE_WITHIN.toMillis() / 1000.0));
        long[] counts = new long[(int) (to - from)];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = perSlot.get((int) (from + i));
        }
        int end = endOfLongestGap(counts);
        return end < 0 ? orElse : (double) (from + end) / SLOTS_PER_SECOND;
    }

    /** The index just after the longest run of zeros that something follows, or -1 when there is none. */
    static int endOfLongestGap(long[] counts) {
        int best = -1;
        int bestLength = 0;
        int run = 0;
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] == 0) {
                run++;
            } else {
                if (run > bestLength) {
                    bestLength = run;
                    best = i;
                }
                run = 0;
            }
        }
        return best;
    }

    private static long slot(double seconds) {
        return (long) Math.floor(seconds * SLOTS_PER_SECOND);
    }

    long failedConnects() {
        return failedConnects.get() + readers.stream().mapToLong(PgbenchReader::brokenRuns).sum();
    }

    long writeFailures() {
        return writeFailures.get();
    }

    Set<Long> acknowledged() {
        return Set.copyOf(acknowledged);
    }

    /** Milliseconds each new connection started within [from, to) seconds waited for its first answer. */
    synchronized long[] probeMillis(double from, double to) {
        return probes.stream().filter(p -> p[0] / 1e9 >= from && p[0] / 1e9 < to).mapToLong(p -> p[1] / 1_000_000).sorted()
                .toArray();
    }

    /** The ids present in {@code written} now. */
    Set<Long> present() throws SQLException {
        Set<Long> ids = new HashSet<>();
        try (Connection connection = connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT id FROM written")) {
            while (rows.next()) {
                ids.add(rows.getLong(1));
            }
        }
        return ids;
    }

    private void probe() {
        long next = System.nanoTime();
        while (!stopped.get()) {
            long started = System.nanoTime();
            while (!stopped.get()) {
                try (Connection connection = connect(); Statement statement = connection.createStatement();
                     ResultSet row = statement.executeQuery("SELECT 1")) {
                    row.next();
                    break;
                } catch (SQLException e) {
                    failedConnects.incrementAndGet();
                    LockSupport.parkNanos(RETRY_PAUSE_NANOS);
                }
            }
            synchronized (this) {
                probes.add(new long[] {started - startedNanos, System.nanoTime() - started});
            }
            next += PROBE_EVERY_NANOS;
            LockSupport.parkNanos(Math.max(0, next - System.nanoTime()));
        }
    }

    private void write() {
        long id = 0;
        Connection connection = null;
        while (!stopped.get()) {
            id++;
            try {
                if (connection == null) {
                    connection = connect();
                }
                try (PreparedStatement insert = connection.prepareStatement("INSERT INTO written VALUES (?)")) {
                    insert.setLong(1, id);
                    insert.executeUpdate();
                }
                acknowledged.add(id);
            } catch (SQLException e) {
                // Not acknowledged: the number is not used again, committed or not.
                writeFailures.incrementAndGet();
                closeQuietly(connection);
                connection = null;
                LockSupport.parkNanos(RETRY_PAUSE_NANOS);
            }
        }
        closeQuietly(connection);
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, login);
    }

    private void spawn(String name, Runnable body) {
        Thread thread = new Thread(body, "switch-load-" + name);
        thread.setDaemon(true);
        threads.add(thread);
        thread.start();
    }

    private static void closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // the connection is gone either way
            }
        }
    }

    @Override
    public void close() throws InterruptedException, IOException {
        stopped.set(true);
        for (Thread thread : threads) {
            thread.join(Duration.ofSeconds(40).toMillis());
        }
        for (PgbenchReader reader : readers) {
            reader.countInto(perSlot, SLOT_MICROS, startedEpochMicros);
        }
    }

    private static long epochMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
    }
}
