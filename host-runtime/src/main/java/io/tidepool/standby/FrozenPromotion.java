package io.tidepool.standby;

import io.tidepool.postgres.Commands;
import io.tidepool.postgres.PostgresServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Promotes a streaming standby while its postmaster is frozen ({@link PostgresServer#freeze}), so
 * that the connections arriving meanwhile wait in the kernel's listen backlog and are accepted, once
 * the postmaster runs again, by a primary: each then is the new primary's own connection, with no
 * proxy relaying it. pg_promote asks the postmaster, which passes the request on only when it runs;
 * the startup process takes the same request straight, the promote file in the data directory and
 * SIGUSR2. The signal goes again until the promotion is over: one that found the startup process
 * retrying its lost primary was seen at once yet left it asleep for wal_retrieve_retry_interval
 * (5 s), and the next one woke it (measured by hand on Postgres 15).
 */
public final class FrozenPromotion {
    private static final Logger log = LoggerFactory.getLogger(FrozenPromotion.class);
    private static final String IN_PRODUCTION = "in production";
    /** Between two looks at the control file, and two signals: pacing, the deadline decides. */
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private FrozenPromotion() {
    }

    /** Returns once the standby's control file says it is in production: its recovery is over. */
    public static void promote(PostgresServer standby, Duration timeout) throws IOException, InterruptedException {
        long postmaster = standby.pid();
        long startup = startupProcess(postmaster).orElseThrow(() -> new IOException(
                "postmaster " + postmaster + " has no startup process: it is not a standby, or not running"));
        Path request = standby.config().dataDir().resolve("promote");
        Files.write(request, new byte[0]);
        long started = System.nanoTime();
        long deadline = started + timeout.toNanos();
        int signals = 0;
        while (!inProduction(standby)) {
            if (System.nanoTime() > deadline) {
                throw new IOException("the standby on port " + standby.config().port() + " was not promoted within " + timeout);
            }
            askStartupProcess(startup);
            signals++;
            LockSupport.parkNanos(POLL_NANOS);
        }
        log.info("the standby on port {} was promoted with its postmaster frozen in {} ms, after {} signals",
                standby.config().port(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), signals);
    }

    private static void askStartupProcess(long startup) throws IOException, InterruptedException {
        try {
            Commands.run(List.of("kill", "-USR2", Long.toString(startup)));
        } catch (IOException e) {
            // Gone: its recovery ended between the look at the control file and the signal.
        }
    }

    private static boolean inProduction(PostgresServer standby) throws IOException, InterruptedException {
        return ControlData.parse(standby.controlData()).map(data -> IN_PRODUCTION.equals(data.state())).orElse(false);
    }

    /** The child of the postmaster whose process title says it replays WAL. */
    static Optional<Long> startupProcess(long postmaster) {
        return ProcessHandle.of(postmaster).stream()
                .flatMap(ProcessHandle::children)
                .filter(child -> title(child.pid()).startsWith("postgres: startup"))
                .map(ProcessHandle::pid)
                .findFirst();
    }

    private static String title(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return ""; // gone meanwhile
        }
    }
}
