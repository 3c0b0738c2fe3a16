package io.tidepool.process;

import io.tidepool.postgres.PostgresServer;
import io.tidepool.postgres.SizedSettings;
import io.tidepool.prewarm.HotPages;
import io.tidepool.prewarm.HotPagesQuery;
import io.tidepool.prewarm.PrewarmLoad;
import io.tidepool.prewarm.PrewarmPlan;
import io.tidepool.standby.Lsn;
import io.tidepool.standby.Replication;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Brings a streaming standby to warm: it has replayed what its primary had written when the hot
 * page list was read (so the relations and the pg_prewarm extension named in it exist on the
 * standby), it has loaded those pages, and it is streaming. Runs once, after the standby accepts
 * queries; what follows is kept current by streaming alone.
 *
 * @param primaryHost where the primary the standby follows listens
 * @param loadHotPages false to skip the hot pages: the standby takes over cold
 */
record StandbyWarmUp(String primaryHost, int primaryPort, boolean loadHotPages) {
    private static final long POLL_NANOS = Duration.ofMillis(50).toNanos();
    /** Shared buffers in blocks: what fits there is loaded into them, the rest into the page cache. */
    private static final long BUFFER_BLOCKS = SizedSettings.SHARED_BUFFERS_BYTES / 8192;

    /** @return what was done, for the log */
    String run(PostgresServer standby, Duration timeout, BooleanSupplier stopped)
            throws SQLException, IOException {
        long startedNanos = System.nanoTime();
        long deadline = startedNanos + timeout.toNanos();
        HotPages pages = loadHotPages ? HotPagesQuery.read(primaryHost, primaryPort, HotPages.MAX_BLOCKS) : HotPages.NONE;
        Lsn listedAt = Replication.currentLsn(primaryHost, primaryPort);
        awaitReplayed(standby, listedAt, deadline, stopped);
        long loaded = PrewarmLoad.load("127.0.0.1", standby.config().port(), PrewarmPlan.decide(pages, BUFFER_BLOCKS));
        while (!Replication.streaming(standby)) {
            waitOrFail(deadline, stopped, "it is not streaming from its primary");
        }
        return String.format("loaded %d of %d hot blocks in %d ms", loaded, pages.blocks(),
                (System.nanoTime() - startedNanos) / 1_000_000);
    }

    private static void awaitReplayed(PostgresServer standby, Lsn target, long deadline, BooleanSupplier stopped)
            throws SQLException, IOException {
        while (Replication.replayed(standby).map(at -> at.compareTo(target) < 0).orElse(true)) {
            waitOrFail(deadline, stopped, "it has not replayed its primary's WAL up to " + target);
        }
    }

    private static void waitOrFail(long deadline, BooleanSupplier stopped, String why) throws IOException {
        if (stopped.getAsBoolean()) {
            throw new IOException("stopped while warming up");
        }
        if (System.nanoTime() - deadline > 0) {
            throw new IOException("not warm in time: " + why);
        }
        LockSupport.parkNanos(POLL_NANOS);
    }
}
