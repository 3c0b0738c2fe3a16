package io.tidepool.reconcile;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A controller observer that keeps what it heard, for tests. */
final class RecordingObserver implements ControllerObserver {
    final AtomicInteger added = new AtomicInteger();
    final AtomicInteger retried = new AtomicInteger();
    final List<Duration> waits = new CopyOnWriteArrayList<>();
    final List<Outcome> outcomes = new CopyOnWriteArrayList<>();

    @Override
    public void added() {
        added.incrementAndGet();
    }

    @Override
    public void retried() {
        retried.incrementAndGet();
    }

    @Override
    public void waited(Duration waited) {
        waits.add(waited);
    }

    @Override
    public void reconciled(Outcome outcome, Duration took) {
        if (took.isNegative()) {
            throw new AssertionError("a reconcile took " + took);
        }
        outcomes.add(outcome);
    }
}
