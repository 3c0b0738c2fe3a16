package io.tidepool.store.watch;

import io.tidepool.store.CompactedException;
import io.tidepool.store.StoreException;
import io.tidepool.store.Watch;
import io.tidepool.store.WatchCancelledException;
import io.tidepool.store.WatchEvent;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;

/**
 * One watch of a {@link WatchHub}. Revisions below {@code liveFrom} are read from the history; those
 * from {@code liveFrom} on arrive through the bounded queue. All fields are guarded by the hub's lock.
 */
final class HubWatch implements Watch {
    private final WatchHub hub;
    final String prefix;
    private final Condition changed;
    private final ArrayDeque<RevisionEvents> queue = new ArrayDeque<>();
    private long nextRevision;
    private long liveFrom;
    private int queuedEvents;
    private String cancelReason;

    HubWatch(WatchHub hub, String prefix, long fromRevision, long liveFrom, Condition changed) {
        this.hub = hub;
        this.prefix = prefix;
        this.nextRevision = fromRevision;
        this.liveFrom = liveFrom;
        this.changed = changed;
    }

    @Override
    public List<WatchEvent> poll(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long from;
            long to;
            long epoch;
            hub.lock.lock();
            try {
                while (true) {
                    if (cancelReason != null) {
                        throw new WatchCancelledException(cancelReason, nextRevision);
                    }
                    if (!hub.suspended()) {
                        if (nextRevision < liveFrom) {
                            break;
                        }
                        if (!queue.isEmpty()) {
                            return drain();
                        }
                    }
                    long leftNanos = deadline - System.nanoTime();
                    if (leftNanos <= 0) {
                        return List.of();
                    }
                    changed.awaitNanos(leftNanos);
                }
                from = nextRevision;
                to = liveFrom - 1;
                epoch = hub.epoch();
            } finally {
                hub.lock.unlock();
            }
            List<WatchEvent> caughtUp = catchUp(from, to, epoch);
            if (!caughtUp.isEmpty()) {
                return caughtUp;
            }
            if (System.nanoTime() - deadline > 0) {
                // A catch-up that found its history compacted cancelled this watch: say so even
                // when it took the whole timeout, rather than return an empty poll.
                throwIfCancelled();
                return List.of();
            }
        }
    }

    private void throwIfCancelled() {
        hub.lock.lock();
        try {
            if (cancelReason != null) {
                throw new WatchCancelledException(cancelReason, nextRevision);
            }
        } finally {
            hub.lock.unlock();
        }
    }

    /** Reads one page of history outside the lock, then applies it unless the watch moved meanwhile. */
    private List<WatchEvent> catchUp(long from, long to, long epoch) {
        HistoryPage page = null;
        String failure = null;
        try {
            page = hub.history().read(prefix, from, to, WatchHub.POLL_EVENTS);
        } catch (CompactedException e) {
            failure = "history from revision " + from + " was compacted (it starts at "
                    + e.firstWatchableRevision() + ")";
        } catch (StoreException e) {
            failure = "history could not be read: " + e.getMessage();
        }
        hub.lock.lock();
        try {
            boolean current = epoch == hub.epoch() && nextRevision == from && cancelReason == null;
            if (!current) {
                return List.of();
            }
            if (failure != null) {
                cancel(failure);
                return List.of();
            }
            nextRevision = page.nextRevision();
            return page.events();
        } finally {
            hub.lock.unlock();
        }
    }

    private List<WatchEvent> drain() {
        List<WatchEvent> events = new ArrayList<>();
        while (!queue.isEmpty() && events.size() < WatchHub.POLL_EVENTS) {
            RevisionEvents batch = queue.poll();
            queuedEvents -= batch.events().size();
            if (batch.revision() >= nextRevision) {
                events.addAll(batch.events());
                nextRevision = batch.revision() + 1;
            }
        }
        return events;
    }

    /** Queues live events; called with the hub's lock held. */
    void offer(RevisionEvents batch, int bufferedEventsMax) {
        if (cancelReason != null || batch.revision() < Math.max(nextRevision, liveFrom)) {
            return;
        }
        queue.add(batch);
        queuedEvents += batch.events().size();
        if (queuedEvents > bufferedEventsMax) {
            cancel("consumer too slow: more than " + bufferedEventsMax + " events waiting");
        }
        changed.signalAll();
    }

    /** Drops queued events and reads everything up to {@code liveFrom - 1} from history again. */
    void restartFromHistory(long liveFrom) {
        queue.clear();
        queuedEvents = 0;
        this.liveFrom = liveFrom;
        changed.signalAll();
    }

    void cancel(String reason) {
        if (cancelReason == null) {
            cancelReason = reason;
        }
        queue.clear();
        queuedEvents = 0;
        hub.remove(this);
        changed.signalAll();
    }

    @Override
    public void close() {
        hub.lock.lock();
        try {
            cancel("closed by its consumer");
        } finally {
            hub.lock.unlock();
        }
    }
}
