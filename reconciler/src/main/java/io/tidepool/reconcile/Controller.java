package io.tidepool.reconcile;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A reconciler and the queue of keys it still has to look at. Workers take keys from the queue;
 * a simulation instead calls {@link #drain()} between steps of its manual clock.
 */
public final class Controller<K> implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Controller.class);
    private static final Duration TAKE_TIMEOUT = Duration.ofMillis(500);

    private final String name;
    private final WorkQueue<K> queue;
    private final Reconciler<K> reconciler;
    private final ControllerObserver observer;
    private final List<Thread> workers = new ArrayList<>();
    private final AtomicLong reconciles = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong busyNanos = new AtomicLong();
    private volatile boolean running;

    public Controller(String name, WorkQueue<K> queue, Reconciler<K> reconciler) {
        this(name, queue, reconciler, ControllerObserver.NONE);
    }

    /** @param observer hears each reconcile's outcome and time (give its queue the same one) */
    public Controller(String name, WorkQueue<K> queue, Reconciler<K> reconciler, ControllerObserver observer) {
        this.name = name;
        this.queue = queue;
        this.reconciler = reconciler;
        this.observer = observer;
    }

    public String name() {
        return name;
    }

    public WorkQueue<K> queue() {
        return queue;
    }

    /** Reconciles every key that is due, including keys that become due meanwhile; returns how many it did. */
    public int drain() {
        try {
            return drain(() -> { });
        } catch (InterruptedException e) {
            throw new IllegalStateException("a no-op was interrupted", e);
        }
    }

    /**
     * As {@link #drain()}, running {@code beforeEachKey} first each time: a simulation catches its
     * cache up there, as the pump thread of a running leader would meanwhile.
     */
    public int drain(BeforeEachKey beforeEachKey) throws InterruptedException {
        int done = 0;
        while (true) {
            beforeEachKey.run();
            Optional<K> key = queue.poll();
            if (key.isEmpty()) {
                return done;
            }
            process(key.get());
            done++;
        }
    }

    /**
     * As {@link #drain(BeforeEachKey)}, with up to {@code workers} keys reconciled at once on
     * {@code executor}, as a running leader's workers would: no key goes to two of them at once.
     * Returns once no key is due and every worker has finished.
     */
    public int drain(BeforeEachKey beforeEachKey, int workers, ExecutorService executor) throws InterruptedException {
        if (workers <= 1) {
            return drain(beforeEachKey);
        }
        Crew crew = new Crew(workers);
        List<Future<Integer>> running = new ArrayList<>(workers);
        for (int i = 0; i < workers; i++) {
            running.add(executor.submit(() -> drainIn(crew, beforeEachKey)));
        }
        int done = 0;
        RuntimeException failure = null;
        for (Future<Integer> worker : running) {
            try {
                done += worker.get();
            } catch (ExecutionException e) {
                failure = failure != null ? failure : e.getCause() instanceof RuntimeException r ? r
                        : new IllegalStateException(e.getCause());
            }
        }
        if (failure != null) {
            throw failure;
        }
        return done;
    }

    /**
     * One worker of a crew. A worker that finds nothing due waits while others are busy, since
     * what they do may queue more keys (their writes, and the cache catching up before each key):
     * without that, a drain that began with many workers would finish its later keys on one.
     */
    private int drainIn(Crew crew, BeforeEachKey beforeEachKey) throws InterruptedException {
        int done = 0;
        try {
            while (true) {
                beforeEachKey.run();
                Optional<K> key = queue.poll();
                if (key.isPresent()) {
                    if (queue.hasDue()) {
                        crew.progressed();
                    }
                    process(key.get());
                    done++;
                } else if (!crew.idleUntilMoreOrDone()) {
                    return done;
                }
            }
        } catch (InterruptedException | RuntimeException e) {
            crew.abandon();
            throw e;
        }
    }

    /**
     * The workers of one parallel drain: how many are busy, and whether they are done. Only a busy
     * worker queues keys here, so once the last busy one finds nothing due, nothing more will come.
     */
    private static final class Crew {
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition changed = lock.newCondition();
        private int busy;
        private long progress;
        private boolean done;

        Crew(int workers) {
            this.busy = workers;
        }

        /** A busy worker found more keys due than the one it took: idle ones look again. */
        void progressed() {
            lock.lock();
            try {
                progress++;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }

        /** Waits, idle, until a busy worker progressed (true: look again) or none is busy (false: stop). */
        boolean idleUntilMoreOrDone() throws InterruptedException {
            lock.lock();
            try {
                busy--;
                if (busy == 0) {
                    done = true;
                    changed.signalAll();
                    return false;
                }
                long seen = progress;
                while (!done && progress == seen) {
                    changed.await();
                }
                if (done) {
                    return false;
                }
                busy++;
                return true;
            } finally {
                lock.unlock();
            }
        }

        /** A worker failed: the others must not wait for it. */
        void abandon() {
            lock.lock();
            try {
                done = true;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /** What a draining simulation does before each key. */
    @FunctionalInterface
    public interface BeforeEachKey {
        void run() throws InterruptedException;
    }

    public synchronized void start(int workerCount) {
        if (running) {
            return;
        }
        running = true;
        for (int i = 0; i < workerCount; i++) {
            Thread worker = new Thread(this::work, "reconcile-" + name + "-" + i);
            worker.setDaemon(true);
            workers.add(worker);
            worker.start();
        }
    }

    /** Stops the workers, letting each finish the key it is on. */
    @Override
    public synchronized void close() {
        running = false;
        queue.shutDown();
        for (Thread worker : workers) {
            try {
                worker.join(Duration.ofSeconds(30).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        workers.clear();
    }

    public Stats stats() {
        return new Stats(reconciles.get(), failures.get(), Duration.ofNanos(busyNanos.get()), queue.depth());
    }

    /** Counters since the controller was made; {@code busy} is time spent inside the reconciler. */
    public record Stats(long reconciles, long failures, Duration busy, int queueDepth) {
    }

    private void work() {
        while (running) {
            try {
                queue.take(TAKE_TIMEOUT).ifPresent(this::process);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void process(K key) {
        long start = System.nanoTime();
        ControllerObserver.Outcome outcome = ControllerObserver.Outcome.ERROR;
        try {
            Result result = reconciler.reconcile(key);
            outcome = result.requeues() ? ControllerObserver.Outcome.REQUEUE : ControllerObserver.Outcome.DONE;
            queue.forget(key);
            if (result.requeues()) {
                queue.addAfter(key, result.requeueAfter());
            }
        } catch (Exception e) {
            failures.incrementAndGet();
            log.warn("{}: reconciling {} failed, will retry: {}", name, key, e.toString());
            queue.retry(key);
        } finally {
            long took = System.nanoTime() - start;
            reconciles.incrementAndGet();
            busyNanos.addAndGet(took);
            observer.reconciled(outcome, Duration.ofNanos(took));
            queue.done(key);
        }
    }
}
