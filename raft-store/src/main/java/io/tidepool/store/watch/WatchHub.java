package io.tidepool.store.watch;

import io.tidepool.store.StoreException;
import io.tidepool.store.Watch;
import io.tidepool.store.WatchEvent;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Feeds the watches of one store replica. The writer calls {@link #publish} after each revision is
 * durable and visible in the {@link ChangeHistory}; publishing only appends to bounded per-watch
 * queues, so a slow consumer never holds up the writer. A watch replays what it missed from the
 * history on its consumer's thread (in {@link Watch#poll}), then takes the live events queued since it
 * was opened: the boundary is the revision published when it was opened, so there is no gap and no
 * duplicate.
 */
public final class WatchHub {
    /** Events handed out by one poll before it returns; whole revisions, so it may exceed this. */
    static final int POLL_EVENTS = 1024;

    private final ChangeHistory history;
    private final int bufferedEventsMax;
    final ReentrantLock lock = new ReentrantLock();
    private final Set<HubWatch> watches = new LinkedHashSet<>();
    private long publishedRevision;
    private long epoch;
    private boolean suspended;
    private String closedReason;

    /**
     * @param publishedRevision the revision the history already holds
     * @param bufferedEventsMax live events a watch may have queued before it is cancelled as too slow
     */
    public WatchHub(ChangeHistory history, long publishedRevision, int bufferedEventsMax) {
        if (bufferedEventsMax < 1) {
            throw new IllegalArgumentException("bufferedEventsMax must be positive");
        }
        this.history = history;
        this.publishedRevision = publishedRevision;
        this.bufferedEventsMax = bufferedEventsMax;
    }

    /** Opens a watch of keys under {@code prefix} from {@code fromRevision} (at least 1). */
    public Watch open(String prefix, long fromRevision) {
        if (fromRevision < 1) {
            throw new IllegalArgumentException("fromRevision must be at least 1");
        }
        lock.lock();
        try {
            if (closedReason != null) {
                throw new StoreException("store is closed: " + closedReason);
            }
            HubWatch watch = new HubWatch(this, prefix, fromRevision, publishedRevision + 1, lock.newCondition());
            watches.add(watch);
            return watch;
        } finally {
            lock.unlock();
        }
    }

    /** Hands the events of {@code revision} to the watches whose prefix they match. */
    public void publish(long revision, List<WatchEvent> events) {
        lock.lock();
        try {
            publishedRevision = Math.max(publishedRevision, revision);
            // A copy: a watch that overflows removes itself while we iterate.
            for (HubWatch watch : List.copyOf(watches)) {
                List<WatchEvent> matching = matching(events, watch.prefix);
                if (!matching.isEmpty()) {
                    watch.offer(new RevisionEvents(revision, matching), bufferedEventsMax);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** The history is about to be replaced: polls wait (and read nothing) until {@link #resume}. */
    public void suspend() {
        lock.lock();
        try {
            suspended = true;
            epoch++;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The history was replaced (a snapshot was installed) and now holds up to {@code publishedRevision}.
     * Every watch drops its queued live events and catches up again from the new history, from its
     * first undelivered revision; one whose revision the new history no longer has is cancelled with
     * that revision, so its consumer lists again.
     */
    public void resume(long publishedRevision) {
        lock.lock();
        try {
            this.publishedRevision = publishedRevision;
            suspended = false;
            epoch++;
            for (HubWatch watch : watches) {
                watch.restartFromHistory(publishedRevision + 1);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Cancels every watch: their polls throw with the revision to watch from again. */
    public void close(String reason) {
        lock.lock();
        try {
            closedReason = reason;
            for (HubWatch watch : List.copyOf(watches)) {
                watch.cancel(reason);
            }
            watches.clear();
        } finally {
            lock.unlock();
        }
    }

    /** Number of open watches, for metrics and tests. */
    public int size() {
        lock.lock();
        try {
            return watches.size();
        } finally {
            lock.unlock();
        }
    }

    ChangeHistory history() {
        return history;
    }

    boolean suspended() {
        return suspended;
    }

    long epoch() {
        return epoch;
    }

    void remove(HubWatch watch) {
        watches.remove(watch);
    }

    private static List<WatchEvent> matching(List<WatchEvent> events, String prefix) {
        if (prefix.isEmpty()) {
            return events;
        }
        List<WatchEvent> matching = new ArrayList<>();
        for (WatchEvent event : events) {
            if (event.kv().key().startsWith(prefix)) {
                matching.add(event);
            }
        }
        return matching;
    }
}
