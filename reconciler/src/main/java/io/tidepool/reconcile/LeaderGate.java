package io.tidepool.reconcile;

import io.tidepool.store.Leadership;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs leader-only work exactly while this node leads the store: a fresh instance for each term of
 * leadership (so soft state such as heartbeats and metrics is rebuilt, never carried over from an
 * earlier term), closed as soon as leadership is lost. Transitions run in order on one thread of
 * their own, never on the store's.
 */
public final class LeaderGate implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LeaderGate.class);

    private final Supplier<? extends AutoCloseable> startTerm;
    private final ExecutorService transitions = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "leader-gate");
        thread.setDaemon(true);
        return thread;
    });
    private AutoCloseable term;
    private boolean closed;

    public LeaderGate(Leadership leadership, Supplier<? extends AutoCloseable> startTerm) {
        this.startTerm = startTerm;
        leadership.addListener(leading -> {
            try {
                transitions.execute(() -> transition(leading));
            } catch (RejectedExecutionException closedGate) {
                // The store tells of its own shutdown after the gate closed: nothing runs any more.
            }
        });
    }

    /** Whether leader-only work is running on this node now. */
    public synchronized boolean running() {
        return term != null;
    }

    private synchronized void transition(boolean leading) {
        if (closed) {
            return;
        }
        if (leading && term == null) {
            log.info("leading: starting the reconcilers");
            try {
                term = startTerm.get();
            } catch (RuntimeException e) {
                log.error("starting the reconcilers failed; they stay stopped until the next term", e);
            }
        } else if (!leading && term != null) {
            log.info("no longer leading: stopping the reconcilers");
            stopTerm();
        }
    }

    private void stopTerm() {
        try {
            term.close();
        } catch (Exception e) {
            log.warn("stopping the reconcilers failed: {}", e.toString());
        } finally {
            term = null;
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            if (term != null) {
                stopTerm();
            }
        }
        transitions.shutdown();
        try {
            transitions.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
