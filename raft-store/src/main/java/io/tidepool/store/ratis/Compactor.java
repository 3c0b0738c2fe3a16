package io.tidepool.store.ratis;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;
import java.util.function.Supplier;

/**
 * Leader-only duty: every interval, propose compacting the change history so that it keeps the
 * last {@code retainedRevisions} revisions. The target is decided here, once, and travels in the
 * command, so every replica deletes exactly the same history. Proposals are asynchronous: the
 * store's thread, which also delivers leadership changes, is never blocked by them.
 */
final class Compactor {
    private static final Logger LOG = LoggerFactory.getLogger(Compactor.class);

    private final ScheduledExecutorService scheduler;
    private final Duration interval;
    private final long retainedRevisions;
    private final Supplier<Revisions> localRevisions;
    private final LongFunction<CompletableFuture<CompactResult>> propose;
    private ScheduledFuture<?> task;
    private CompletableFuture<CompactResult> inFlight = CompletableFuture.completedFuture(null);

    Compactor(ScheduledExecutorService scheduler, Duration interval, long retainedRevisions,
              Supplier<Revisions> localRevisions, LongFunction<CompletableFuture<CompactResult>> propose) {
        this.scheduler = scheduler;
        this.interval = interval;
        this.retainedRevisions = retainedRevisions;
        this.localRevisions = localRevisions;
        this.propose = propose;
    }

    /** Follows leadership: runs while this node leads. */
    synchronized void onLeadership(boolean leading) {
        if (leading && task == null) {
            long millis = interval.toMillis();
            task = scheduler.scheduleWithFixedDelay(this::compactIfDue, millis, millis, TimeUnit.MILLISECONDS);
        } else if (!leading && task != null) {
            task.cancel(false);
            task = null;
        }
    }

    /** The revision to compact at, or 0 when the history is within the retention. */
    static long target(Revisions revisions, long retainedRevisions) {
        long target = revisions.current() - retainedRevisions + 1;
        return target > revisions.firstWatchable() ? target : 0;
    }

    private synchronized void compactIfDue() {
        try {
            if (!inFlight.isDone()) {
                return;
            }
            long target = target(localRevisions.get(), retainedRevisions);
            if (target > 0) {
                inFlight = propose.apply(target).whenComplete((result, failure) -> {
                    if (failure != null) {
                        LOG.warn("compaction at revision {} failed: {}", target, failure.toString());
                    } else {
                        LOG.info("compacted the change history below revision {}", target);
                    }
                });
            }
        } catch (RuntimeException e) {
            LOG.warn("compaction check failed: {}", e.toString());
        }
    }
}
