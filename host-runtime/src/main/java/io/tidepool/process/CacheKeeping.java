package io.tidepool.process;

import io.tidepool.guest.DownscaleCheck;
import io.tidepool.postgres.PostgresServer;
import io.tidepool.postgres.SizedSettings;
import io.tidepool.prewarm.HotPages;
import io.tidepool.prewarm.HotPagesQuery;
import io.tidepool.prewarm.KeptCache;
import io.tidepool.prewarm.PageCacheResidency;
import io.tidepool.prewarm.PageRange;
import io.tidepool.prewarm.PrewarmLoad;
import io.tidepool.prewarm.PrewarmPlan;
import io.tidepool.prewarm.RelationFile;
import java.io.IOException;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a compute's cache across a downscale: just before its memory shrinks, the pages in its
 * shared buffers and in its page cache are recorded; after memory grows, what fits the new size is
 * loaded back in the background, inside the compute (its backend reads, so its cgroup is charged and
 * its CPU quota spent), while the compute serves. A later shrink, a newer growth or a stop cancels a
 * load within one piece ({@link KeptCache#CHUNK_BLOCKS}). Recording is here, not in the guest
 * agent: it needs the data directory's files and a connection to Postgres, which the host agent
 * has and a guest agent watching only a cgroup has not.
 */
final class CacheKeeping {
    private static final Logger log = LoggerFactory.getLogger(CacheKeeping.class);
    private static final int BUFFER_BLOCKS = (int) (SizedSettings.SHARED_BUFFERS_BYTES / RelationFile.BLOCK_BYTES);

    /**
     * The latest load back.
     *
     * @param toLoad   blocks it set out to load
     * @param loaded   blocks it loaded, once finished
     * @param finished whether it ended (done, cancelled or failed)
     */
    record Refill(long toLoad, long loaded, boolean finished) {
        static final Refill NONE = new Refill(0, 0, true);
    }

    private final String compute;
    private final PostgresServer server;
    private final Executor background;
    /** Every shrink, growth and stop moves it on; a load runs while it still holds the value it started with. */
    private final AtomicLong generation = new AtomicLong();
    private volatile KeptCache kept = KeptCache.NONE;
    private final AtomicReference<Refill> refill = new AtomicReference<>(Refill.NONE);

    CacheKeeping(String compute, PostgresServer server, Executor background) {
        this.compute = compute;
        this.server = server;
        this.background = background;
    }

    Refill refill() {
        return refill.get();
    }

    /**
     * Records the cache before a shrink, cancelling a load in progress. A shrink that cuts a load
     * back short keeps the record it was loading from: what is cached now is only part of it. A
     * failure is logged and leaves nothing kept: the shrink goes on, only colder.
     */
    void recordBeforeShrink() {
        boolean loading = !refill.get().finished();
        generation.incrementAndGet();
        if (loading && kept != KeptCache.NONE) {
            log.info("{}: its memory shrinks during the load back; it keeps the cache it was loading", compute);
            return;
        }
        long startedNanos = System.nanoTime();
        int port = server.config().port();
        try {
            HotPages buffered = HotPagesQuery.buffered("127.0.0.1", port, BUFFER_BLOCKS);
            List<PageRange> cached = PageCacheResidency.read(port, server.config().dataDir(), KeptCache.MAX_RANGES);
            kept = KeptCache.of(buffered, cached);
            log.info("{}: kept {} cached blocks in {} ranges before its memory shrinks, read in {} ms", compute, kept.blocks(),
                    kept.buffered().ranges().size() + kept.cached().size(), (System.nanoTime() - startedNanos) / 1_000_000);
        } catch (SQLException | IOException | RuntimeException e) {
            kept = KeptCache.NONE;
            log.warn("{}: its cache before the shrink was not recorded, so it is not loaded back: {}", compute, e.getMessage());
        }
    }

    /** Loads back in the background what fits {@code limitBytes} with {@code unreclaimableBytes} held. */
    void refillAfterGrowth(long limitBytes, long unreclaimableBytes) {
        long mine = generation.incrementAndGet();
        List<PrewarmPlan.Load> loads = kept.loadsFor(KeptCache.roomBytes(limitBytes, unreclaimableBytes, DownscaleCheck.MARGIN));
        if (loads.isEmpty()) {
            return;
        }
        long toLoad = loads.stream().mapToLong(load -> load.range().blocks()).sum();
        Refill started = new Refill(toLoad, 0, false);
        refill.set(started);
        background.execute(() -> load(loads, started, mine));
    }

    void cancel() {
        generation.incrementAndGet();
    }

    private void load(List<PrewarmPlan.Load> loads, Refill started, long mine) {
        long startedNanos = System.nanoTime();
        int port = server.config().port();
        long loaded = 0;
        try {
            HotPagesQuery.ensurePrewarm("127.0.0.1", port, loads.stream().map(PrewarmPlan.Load::range).toList());
            loaded = PrewarmLoad.load("127.0.0.1", port, loads, () -> generation.get() != mine);
        } catch (SQLException | RuntimeException e) {
            log.info("{}: loading its cache back stopped: {}", compute, e.getMessage());
        } finally {
            boolean cancelled = generation.get() != mine;
            refill.compareAndSet(started, new Refill(started.toLoad(), loaded, true));
            log.info("{}: loaded back {} of {} blocks of its cache in {} ms{}", compute, loaded, started.toLoad(),
                    (System.nanoTime() - startedNanos) / 1_000_000, cancelled ? ", then cancelled" : "");
        }
    }
}
