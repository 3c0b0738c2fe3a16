package io.tidepool.reconcile;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
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
    private final List<Thread> workers = new ArrayList<>();
    private final AtomicLong reconciles = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong busyNanos = new AtomicLong();
    private volatile boolean running;

    public Controller(String name, WorkQueue<K> queue, Reconciler<K> reconciler) {
        this.name = name;
        this.queue = queue;
        this.reconciler = reconciler;
    }

    public String name() {
        return name;
    }

    public WorkQueue<K> queue() {
        return queue;
    }

    /** Reconciles every key that is due, including keys that become due meanwhile; returns how many it did. */
    public int drain() {
        int done = 0;
        Optional<K> key;
        while ((key = queue.poll()).isPresent()) {
            process(key.get());
            done++;
        }
        return done;
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
        try {
            Result result = reconciler.reconcile(key);
            queue.forget(key);
            if (result.requeues()) {
                queue.addAfter(key, result.requeueAfter());
            }
        } catch (Exception e) {
            failures.incrementAndGet();
            log.warn("{}: reconciling {} failed, will retry: {}", name, key, e.toString());
            queue.retry(key);
        } finally {
            reconciles.incrementAndGet();
            busyNanos.addAndGet(System.nanoTime() - start);
            queue.done(key);
        }
    }
}
