package io.tidepool.reconcile;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The keys a controller still has to reconcile, as in Kubernetes' client-go. A key is queued at
 * most once however often it is added; a key being processed is never handed to a second worker
 * (added meanwhile, it comes back once the first is done); a key may be added after a delay; a key
 * that keeps failing waits longer each time. Its size is bounded by the number of distinct keys.
 * Time comes from the injected clock, so simulations drive it with {@link #poll()} and a
 * {@link ManualClock}; workers block in {@link #take(Duration)}. Its traffic goes to a
 * {@link ControllerObserver}: keys added, retries, and how long each key was due before a worker
 * took it (from when it was added, or fell due, to when it was taken, on the injected clock).
 */
public final class WorkQueue<K> {
    private final InstantSource clock;
    private final Backoff backoff;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final LinkedHashSet<K> ready = new LinkedHashSet<>();
    private final Set<K> processing = new HashSet<>();
    private final Set<K> dirty = new HashSet<>();
    private final Map<K, Instant> dueAt = new HashMap<>();
    private final PriorityQueue<Delayed<K>> delayed = new PriorityQueue<>();
    private final Map<K, Integer> failures = new HashMap<>();
    /** When each key waiting for a worker (ready, or dirty while processed) was added: bounded by the keys. */
    private final Map<K, Instant> addedAt = new HashMap<>();
    private final ControllerObserver observer;
    /** Without an observer (simulations, benchmarks) nothing is timed: no clock read or map entry per key. */
    private final boolean timed;
    private boolean shutDown;

    private record Delayed<K>(K key, Instant due) implements Comparable<Delayed<K>> {
        @Override
        public int compareTo(Delayed<K> other) {
            return due.compareTo(other.due);
        }
    }

    public WorkQueue(InstantSource clock, Backoff backoff) {
        this(clock, backoff, ControllerObserver.NONE);
    }

    public WorkQueue(InstantSource clock, Backoff backoff, ControllerObserver observer) {
        this.clock = clock;
        this.backoff = backoff;
        this.observer = observer;
        this.timed = observer != ControllerObserver.NONE;
    }

    /** Queues the key now, unless it is queued already. */
    public void add(K key) {
        lock.lock();
        try {
            addLocked(key, null);
        } finally {
            lock.unlock();
        }
    }

    /** Queues the key once {@code delay} has passed; an earlier pending time for it wins. */
    public void addAfter(K key, Duration delay) {
        if (delay.isZero() || delay.isNegative()) {
            add(key);
            return;
        }
        lock.lock();
        try {
            Instant due = clock.instant().plus(delay);
            Instant pending = dueAt.get(key);
            if (ready.contains(key) || (pending != null && !pending.isAfter(due))) {
                return;
            }
            dueAt.put(key, due);
            delayed.add(new Delayed<>(key, due));
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Queues the key again after its backoff, which doubles with each failure in a row. */
    public void retry(K key) {
        Duration delay;
        lock.lock();
        try {
            delay = backoff.after(failures.merge(key, 1, Integer::sum));
        } finally {
            lock.unlock();
        }
        observer.retried();
        addAfter(key, delay);
    }

    /** Resets the key's backoff after a success. */
    public void forget(K key) {
        lock.lock();
        try {
            failures.remove(key);
        } finally {
            lock.unlock();
        }
    }

    /** The next key that is due, now, marked as being processed; call {@link #done} when finished. */
    public Optional<K> poll() {
        lock.lock();
        try {
            return Optional.ofNullable(nextLocked());
        } finally {
            lock.unlock();
        }
    }

    /** Up to {@code max} due keys at once, each marked as being processed. */
    public List<K> pollBatch(int max) {
        lock.lock();
        try {
            List<K> batch = new ArrayList<>();
            K key;
            while (batch.size() < max && (key = nextLocked()) != null) {
                batch.add(key);
            }
            return batch;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits up to {@code timeout} of real time for a due key; empty when none came or the queue was
     * shut down. Delayed keys are checked against the injected clock.
     */
    public Optional<K> take(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (!shutDown) {
                K key = nextLocked();
                if (key != null) {
                    return Optional.of(key);
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return Optional.empty();
                }
                Duration untilDue = untilNextDueLocked();
                changed.awaitNanos(untilDue == null ? left : Math.max(1, Math.min(left, untilDue.toNanos())));
            }
            return Optional.empty();
        } finally {
            lock.unlock();
        }
    }

    /** Ends processing of the key; if it was added meanwhile, it is queued again. */
    public void done(K key) {
        lock.lock();
        try {
            processing.remove(key);
            if (dirty.remove(key)) {
                // Counted as added when it was added during processing: not a second time.
                dueAt.remove(key);
                if (ready.add(key)) {
                    changed.signalAll();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** How long until the next delayed key is due, or empty when none is delayed. */
    public Optional<Duration> untilNextDue() {
        lock.lock();
        try {
            return Optional.ofNullable(untilNextDueLocked());
        } finally {
            lock.unlock();
        }
    }

    /** Keys queued now or waiting for their time. */
    public int depth() {
        lock.lock();
        try {
            return ready.size() + dueAt.size();
        } finally {
            lock.unlock();
        }
    }

    /** Keys due now and waiting for a worker: neither those being processed nor those due later. */
    public int dueCount() {
        lock.lock();
        try {
            promoteDueLocked();
            return ready.size();
        } finally {
            lock.unlock();
        }
    }

    /** Keys waiting for their time: requeued after a delay, or backing off after a failure. */
    public int delayedCount() {
        lock.lock();
        try {
            promoteDueLocked();
            return dueAt.size();
        } finally {
            lock.unlock();
        }
    }

    /** Whether a key is due now, waiting for a worker. */
    public boolean hasDue() {
        lock.lock();
        try {
            promoteDueLocked();
            return !ready.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    public boolean isIdle() {
        lock.lock();
        try {
            promoteDueLocked();
            return ready.isEmpty() && processing.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    /** Wakes every waiting worker; {@link #take} returns empty from now on. */
    public void shutDown() {
        lock.lock();
        try {
            shutDown = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** @param dueSince when a delayed key fell due, to count its wait from then; null for now */
    private void addLocked(K key, Instant dueSince) {
        if (processing.contains(key)) {
            if (dirty.add(key)) {
                queued(key, dueSince);
            }
            return;
        }
        dueAt.remove(key);
        if (ready.add(key)) {
            queued(key, dueSince);
            changed.signalAll();
        }
    }

    private void queued(K key, Instant dueSince) {
        if (timed) {
            addedAt.putIfAbsent(key, dueSince != null ? dueSince : clock.instant());
            observer.added();
        }
    }

    private K nextLocked() {
        promoteDueLocked();
        var iterator = ready.iterator();
        if (!iterator.hasNext()) {
            return null;
        }
        K key = iterator.next();
        iterator.remove();
        processing.add(key);
        Instant added = timed ? addedAt.remove(key) : null;
        if (added != null) {
            Duration waited = Duration.between(added, clock.instant());
            observer.waited(waited.isNegative() ? Duration.ZERO : waited);
        }
        return key;
    }

    private void promoteDueLocked() {
        Instant now = clock.instant();
        while (!delayed.isEmpty() && !delayed.peek().due().isAfter(now)) {
            Delayed<K> next = delayed.poll();
            // Stale entries (the key was re-delayed or added since) are skipped.
            if (next.due().equals(dueAt.get(next.key()))) {
                dueAt.remove(next.key());
                addLocked(next.key(), next.due());
            }
        }
    }

    private Duration untilNextDueLocked() {
        while (!delayed.isEmpty() && !delayed.peek().due().equals(dueAt.get(delayed.peek().key()))) {
            delayed.poll();
        }
        if (delayed.isEmpty()) {
            return null;
        }
        Duration left = Duration.between(clock.instant(), delayed.peek().due());
        return left.isNegative() ? Duration.ZERO : left;
    }
}
