package io.tidepool.manifests.sync;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * Runs a sync's rounds one interval apart (the interval counted from the end of a round, so a slow
 * fetch never makes rounds pile up) until closed. When it runs is the scheduler's business, so that
 * tests run each round by hand.
 */
public final class SyncLoop implements AutoCloseable {
    /** Runs a task once, after a delay. */
    public interface Scheduler {
        void schedule(Runnable task, Duration delay);
    }

    private final SyncRound round;
    private final Duration interval;
    private final Scheduler scheduler;
    private final Consumer<RoundReport> reports;
    private volatile boolean closed;

    public SyncLoop(SyncRound round, Duration interval, Scheduler scheduler, Consumer<RoundReport> reports) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("a sync interval must be positive, got " + interval);
        }
        this.round = round;
        this.interval = interval;
        this.scheduler = scheduler;
        this.reports = reports;
    }

    /** The first round runs at once. */
    public void start() {
        scheduler.schedule(this::runRound, Duration.ZERO);
    }

    private void runRound() {
        if (closed) {
            return;
        }
        try {
            reports.accept(round.run());
        } finally {
            if (!closed) {
                scheduler.schedule(this::runRound, interval);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
    }
}
