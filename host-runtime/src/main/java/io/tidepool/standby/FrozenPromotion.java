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

/**
 * Promotes a streaming standby while its postmaster is frozen ({@link PostgresServer#freeze}), so
 * that the connections arriving meanwhile wait in the kernel's listen backlog and are accepted, once
 * the postmaster runs again, by a primary: each then is the new primary's own connection, with no
 * proxy relaying it. pg_promote asks the postmaster, which passes the request on only when it runs;
 * the startup process takes the same request straight, the promote file in the data directory and
 * SIGUSR2. It sees it within the standby's wal_retrieve_retry_interval once its primary is gone.
 */
public final class FrozenPromotion {
    private static final String IN_PRODUCTION = "in production";
    /** Between two looks at the control file: pacing, the deadline decides. */
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private FrozenPromotion() {
    }

    /** Returns once the standby's control file says it is in production: its recovery is over. */
    public static void promote(PostgresServer standby, Duration timeout) throws IOException, InterruptedException {
        long postmaster = standby.pid();
        long startup = startupProcess(postmaster).orElseThrow(() -> new IOException(
                "postmaster " + postmaster + " has no startup process: it is not a standby, or not running"));
        Path request = standby.config().dataDir().resolve("promote");
        Files.write(request, new byte[0]);
        Commands.run(List.of("kill", "-USR2", Long.toString(startup)));
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!inProduction(standby)) {
            if (System.nanoTime() > deadline) {
                throw new IOException("the standby on port " + standby.config().port() + " was not promoted within " + timeout);
            }
            LockSupport.parkNanos(POLL_NANOS);
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
