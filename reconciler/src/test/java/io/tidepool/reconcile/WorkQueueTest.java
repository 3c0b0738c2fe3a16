package io.tidepool.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class WorkQueueTest {
    private final ManualClock clock = new ManualClock(Instant.parse("2026-11-23T10:00:00Z"));
    private final WorkQueue<String> queue = new WorkQueue<>(clock, new Backoff(Duration.ofMillis(10), Duration.ofSeconds(1)));

    @Test
    void queuesAKeyOnceHoweverOftenItIsAdded() {
        queue.add("a");
        queue.add("b");
        queue.add("a");

        assertThat(queue.pollBatch(10)).containsExactly("a", "b");
        assertThat(queue.poll()).isEmpty();
    }

    @Test
    void neverHandsAKeyThatIsBeingProcessedToASecondWorker() {
        queue.add("a");
        assertThat(queue.poll()).contains("a");

        queue.add("a");
        assertThat(queue.poll()).as("a is still being processed").isEmpty();

        queue.done("a");
        assertThat(queue.poll()).as("added meanwhile, so it comes back").contains("a");
    }

    @Test
    void holdsADelayedKeyUntilTheClockReachesIt() {
        queue.addAfter("a", Duration.ofSeconds(5));
        assertThat(queue.poll()).isEmpty();
        assertThat(queue.untilNextDue()).contains(Duration.ofSeconds(5));

        clock.advance(Duration.ofSeconds(4));
        assertThat(queue.poll()).isEmpty();
        clock.advance(Duration.ofSeconds(1));
        assertThat(queue.poll()).contains("a");
    }

    @Test
    void keepsTheEarlierOfTwoDelaysAndDropsTheDelayWhenTheKeyIsAddedNow() {
        queue.addAfter("a", Duration.ofSeconds(5));
        queue.addAfter("a", Duration.ofSeconds(2));
        clock.advance(Duration.ofSeconds(2));
        assertThat(queue.poll()).contains("a");
        queue.done("a");

        queue.addAfter("b", Duration.ofSeconds(5));
        queue.add("b");
        assertThat(queue.poll()).contains("b");
        queue.done("b");
        clock.advance(Duration.ofSeconds(5));
        assertThat(queue.poll()).as("the delayed entry went with the immediate add").isEmpty();
    }

    @Test
    void countsAKeyAddedOnlyWhenItWasNotQueuedAlreadyAndItsWaitFromWhenItWasAdded() {
        RecordingObserver observer = new RecordingObserver();
        WorkQueue<String> observed = new WorkQueue<>(clock, Backoff.DEFAULT, observer);
        observed.add("a");
        clock.advance(Duration.ofMillis(30));
        observed.add("a");
        observed.add("b");
        clock.advance(Duration.ofMillis(20));

        assertThat(observed.pollBatch(10)).containsExactly("a", "b");
        assertThat(observer.added).hasValue(2);
        assertThat(observer.waits).containsExactly(Duration.ofMillis(50), Duration.ofMillis(20));
    }

    @Test
    void countsAKeyAddedWhileProcessedOnceAndItsWaitFromThatAdd() {
        RecordingObserver observer = new RecordingObserver();
        WorkQueue<String> observed = new WorkQueue<>(clock, Backoff.DEFAULT, observer);
        observed.add("a");
        observed.poll();
        observed.add("a");
        observed.add("a");
        clock.advance(Duration.ofMillis(40));
        observed.done("a");
        clock.advance(Duration.ofMillis(10));

        assertThat(observed.poll()).contains("a");
        assertThat(observer.added).hasValue(2);
        assertThat(observer.waits).containsExactly(Duration.ZERO, Duration.ofMillis(50));
    }

    @Test
    void countsADelayedKeyWhenItFallsDueAndItsWaitFromThen() {
        RecordingObserver observer = new RecordingObserver();
        WorkQueue<String> observed = new WorkQueue<>(clock, Backoff.DEFAULT, observer);
        observed.addAfter("a", Duration.ofSeconds(5));
        assertThat(observed.delayedCount()).isEqualTo(1);
        assertThat(observed.dueCount()).isZero();
        assertThat(observer.added).hasValue(0);

        clock.advance(Duration.ofSeconds(7));
        assertThat(observed.dueCount()).isEqualTo(1);
        assertThat(observed.delayedCount()).isZero();
        assertThat(observed.poll()).contains("a");
        assertThat(observer.added).hasValue(1);
        assertThat(observer.waits).containsExactly(Duration.ofSeconds(2));
    }

    @Test
    void countsEachRetry() {
        RecordingObserver observer = new RecordingObserver();
        WorkQueue<String> observed = new WorkQueue<>(clock, Backoff.DEFAULT, observer);
        observed.retry("a");
        observed.retry("a");

        assertThat(observer.retried).hasValue(2);
        assertThat(observed.delayedCount()).isEqualTo(1);
    }

    @Test
    void backsOffExponentiallyWhileAKeyKeepsFailingAndStartsOverAfterSuccess() {
        List<Duration> waits = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            queue.retry("a");
            waits.add(queue.untilNextDue().orElseThrow());
            clock.advance(waits.get(i));
            assertThat(queue.poll()).contains("a");
            queue.done("a");
        }
        assertThat(waits).containsExactly(Duration.ofMillis(10), Duration.ofMillis(20), Duration.ofMillis(40),
                Duration.ofMillis(80), Duration.ofMillis(160), Duration.ofMillis(320), Duration.ofMillis(640),
                Duration.ofSeconds(1));

        queue.forget("a");
        queue.retry("a");
        assertThat(queue.untilNextDue()).contains(Duration.ofMillis(10));
    }

    @Test
    void wakesAWaitingWorkerWhenAKeyArrives() throws Exception {
        CompletableFuture<Optional<String>> taken = CompletableFuture.supplyAsync(() -> {
            try {
                return queue.take(Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        queue.add("a");

        assertThat(taken.get(30, TimeUnit.SECONDS)).contains("a");
    }

    @Test
    void releasesWaitingWorkersOnShutDown() throws Exception {
        CompletableFuture<Optional<String>> taken = CompletableFuture.supplyAsync(() -> {
            try {
                return queue.take(Duration.ofMinutes(5));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        queue.shutDown();

        assertThat(taken.get(30, TimeUnit.SECONDS)).isEmpty();
    }

    /** Whatever is done to it, a key is never out twice, and every key added is eventually handed out. */
    @Property(tries = 300)
    void handsOutEveryAddedKeyAndNeverOneKeyTwiceAtATime(@ForAll("operations") List<Integer> operations) {
        ManualClock time = new ManualClock(Instant.EPOCH);
        WorkQueue<Integer> q = new WorkQueue<>(time, new Backoff(Duration.ofMillis(10), Duration.ofSeconds(1)));
        Set<Integer> out = new HashSet<>();
        Set<Integer> owed = new HashSet<>();
        for (int op : operations) {
            int key = Math.abs(op) % 5;
            switch (Math.abs(op / 5) % 5) {
                case 0 -> {
                    q.add(key);
                    owed.add(key);
                }
                case 1 -> {
                    q.addAfter(key, Duration.ofMillis(Math.abs(op) % 100));
                    owed.add(key);
                }
                case 2 -> q.poll().ifPresent(k -> {
                    assertThat(out.add(k)).as("key %s handed out twice", k).isTrue();
                    owed.remove(k);
                });
                case 3 -> {
                    if (out.remove(key)) {
                        q.done(key);
                    }
                }
                default -> time.advance(Duration.ofMillis(Math.abs(op) % 50));
            }
            assertThat(q.depth()).isLessThanOrEqualTo(5);
        }
        out.forEach(q::done);
        time.advance(Duration.ofSeconds(10));
        Set<Integer> handedOut = new HashSet<>(q.pollBatch(100));
        assertThat(handedOut).containsAll(owed);
    }

    @Provide
    Arbitrary<List<Integer>> operations() {
        return Arbitraries.integers().between(-10_000, 10_000).list().ofMaxSize(200);
    }
}
