package io.tidepool.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Polls a watch until it has delivered a number of events, keeping each poll's batch. */
public final class WatchCollector {
    private final Watch watch;
    private final List<WatchEvent> events = new ArrayList<>();
    private final List<List<WatchEvent>> polls = new ArrayList<>();

    public WatchCollector(Watch watch) {
        this.watch = watch;
    }

    /** Polls until at least {@code count} events came in total; fails after {@code timeout}. */
    public List<WatchEvent> awaitEvents(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (events.size() < count) {
            long leftNanos = deadline - System.nanoTime();
            if (leftNanos <= 0) {
                throw new AssertionError("expected " + count + " events within " + timeout.toMillis()
                        + " ms, got " + events.size() + ": " + events);
            }
            List<WatchEvent> batch = watch.poll(Duration.ofNanos(Math.min(leftNanos, Duration.ofMillis(200).toNanos())));
            if (!batch.isEmpty()) {
                polls.add(batch);
                events.addAll(batch);
            }
        }
        return List.copyOf(events);
    }

    /** One poll; what it returned is also kept. */
    public List<WatchEvent> pollOnce(Duration timeout) throws InterruptedException {
        List<WatchEvent> batch = watch.poll(timeout);
        if (!batch.isEmpty()) {
            polls.add(batch);
            events.addAll(batch);
        }
        return batch;
    }

    /** Everything received so far. */
    public List<WatchEvent> events() {
        return List.copyOf(events);
    }

    /** The batches each non-empty poll returned. */
    public List<List<WatchEvent>> polls() {
        return List.copyOf(polls);
    }
}
