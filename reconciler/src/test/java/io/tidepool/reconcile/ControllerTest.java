package io.tidepool.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidepool.store.Await;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ControllerTest {
    private final ManualClock clock = new ManualClock(Instant.parse("2026-11-23T10:00:00Z"));
    private final WorkQueue<String> queue = new WorkQueue<>(clock, new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(1)));

    @Test
    void retriesAFailingKeyAfterItsBackoffAndStopsOnceItSucceeds() {
        AtomicInteger calls = new AtomicInteger();
        Controller<String> controller = new Controller<>("flaky", queue, key -> {
            if (calls.incrementAndGet() < 3) {
                throw new IllegalStateException("not yet");
            }
            return Result.done();
        });
        queue.add("a");

        assertThat(controller.drain()).isEqualTo(1);
        clock.advance(Duration.ofSeconds(1));
        assertThat(controller.drain()).isEqualTo(1);
        clock.advance(Duration.ofMillis(1999));
        assertThat(controller.drain()).as("second backoff is 2 s").isZero();
        clock.advance(Duration.ofMillis(1));
        assertThat(controller.drain()).isEqualTo(1);
        clock.advance(Duration.ofHours(1));
        assertThat(controller.drain()).isZero();
        assertThat(controller.stats().failures()).isEqualTo(2);
        assertThat(controller.stats().reconciles()).isEqualTo(3);
    }

    @Test
    void reportsEachReconcileAsDoneRequeueOrError() {
        RecordingObserver observer = new RecordingObserver();
        WorkQueue<String> observed = new WorkQueue<>(clock, new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(1)), observer);
        AtomicInteger calls = new AtomicInteger();
        Controller<String> controller = new Controller<>("three-ways", observed, key -> switch (calls.incrementAndGet()) {
            case 1 -> throw new IllegalStateException("first call fails");
            case 2 -> Result.after(Duration.ofSeconds(5));
            default -> Result.done();
        }, observer);
        observed.add("a");

        controller.drain();
        clock.advance(Duration.ofSeconds(1));
        controller.drain();
        clock.advance(Duration.ofSeconds(5));
        controller.drain();

        assertThat(observer.outcomes).containsExactly(ControllerObserver.Outcome.ERROR,
                ControllerObserver.Outcome.REQUEUE, ControllerObserver.Outcome.DONE);
        assertThat(observer.retried).hasValue(1);
        assertThat(observer.added).as("the first add, the retry and the requeue falling due").hasValue(3);
    }

    @Test
    void looksAgainWhenAReconcileAsksForIt() {
        List<Instant> seen = new ArrayList<>();
        Controller<String> controller = new Controller<>("periodic", queue, key -> {
            seen.add(clock.instant());
            return Result.after(Duration.ofSeconds(30));
        });
        queue.add("a");
        for (int i = 0; i < 3; i++) {
            controller.drain();
            clock.advance(Duration.ofSeconds(30));
        }

        assertThat(seen).hasSize(3);
        assertThat(Duration.between(seen.get(0), seen.get(2))).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void aParallelDrainReconcilesEveryDueKeyOnceIncludingKeysRequeuedAtOnce() throws Exception {
        ConcurrentHashMap<String, AtomicInteger> calls = new ConcurrentHashMap<>();
        Controller<String> controller = new Controller<>("drained", queue, key -> {
            int call = calls.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
            return key.startsWith("again") && call == 1 ? Result.after(Duration.ZERO) : Result.done();
        });
        for (int i = 0; i < 1_000; i++) {
            queue.add((i % 10 == 0 ? "again-" : "once-") + i);
        }
        java.util.concurrent.ExecutorService executor = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            assertThat(controller.drain(() -> { }, 4, executor)).isEqualTo(1_100);
        } finally {
            executor.shutdownNow();
        }

        assertThat(calls).hasSize(1_000);
        assertThat(calls.entrySet()).allSatisfy(e -> assertThat(e.getValue().get())
                .isEqualTo(e.getKey().startsWith("again") ? 2 : 1));
        assertThat(queue.isIdle()).isTrue();
    }

    @Test
    void workersNeverReconcileOneKeyConcurrently() {
        WorkQueue<String> realTime = new WorkQueue<>(java.time.Clock.systemUTC(), Backoff.DEFAULT);
        ConcurrentHashMap<String, Boolean> inside = new ConcurrentHashMap<>();
        AtomicInteger overlaps = new AtomicInteger();
        AtomicInteger reconciles = new AtomicInteger();
        try (Controller<String> controller = new Controller<>("parallel", realTime, key -> {
            if (inside.putIfAbsent(key, true) != null) {
                overlaps.incrementAndGet();
            }
            Thread.onSpinWait();
            inside.remove(key);
            reconciles.incrementAndGet();
            return Result.done();
        })) {
            controller.start(4);
            for (int i = 0; i < 20_000; i++) {
                realTime.add("k" + (i % 3));
            }
            Await.until(Duration.ofSeconds(30), "the queue to empty", realTime::isIdle);
        }
        assertThat(overlaps.get()).isZero();
        assertThat(reconciles.get()).isPositive();
    }
}
