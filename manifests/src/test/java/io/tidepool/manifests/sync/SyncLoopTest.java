package io.tidepool.manifests.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SyncLoopTest {
    private static final Duration INTERVAL = Duration.ofSeconds(30);

    /** Keeps what was scheduled; the test runs it. */
    private static final class ByHand implements SyncLoop.Scheduler {
        record Scheduled(Runnable task, Duration delay) {
        }

        final Deque<Scheduled> pending = new ArrayDeque<>();

        @Override
        public void schedule(Runnable task, Duration delay) {
            pending.add(new Scheduled(task, delay));
        }

        Duration runNext() {
            Scheduled next = pending.remove();
            next.task().run();
            return next.delay();
        }
    }

    private final InMemoryCommitSource repo = new InMemoryCommitSource();
    private final StepClock clock = new StepClock(Instant.parse("2026-03-02T09:00:00Z"));
    private final ByHand scheduler = new ByHand();
    private final List<RoundReport> reports = new ArrayList<>();
    private final SyncLoop loop = new SyncLoop(new SyncRound(repo, new InMemoryApplySet(), SyncPolicy.DEFAULT, false, clock),
            INTERVAL, scheduler, reports::add);

    @Test
    void runsTheFirstRoundAtOnceAndEachNextOneAnIntervalLater() {
        repo.push(Map.of("deploy/shop.yaml", "shop"));

        loop.start();

        assertThat(scheduler.runNext()).isEqualTo(Duration.ZERO);
        assertThat(scheduler.runNext()).isEqualTo(INTERVAL);
        assertThat(scheduler.runNext()).isEqualTo(INTERVAL);
        assertThat(reports).hasSize(3);
        assertThat(repo.fetches).isEqualTo(3);
        assertThat(scheduler.pending).hasSize(1);
    }

    @Test
    void closedItRunsNoMoreRounds() {
        repo.push(Map.of("deploy/shop.yaml", "shop"));
        loop.start();
        scheduler.runNext();

        loop.close();
        scheduler.runNext();

        assertThat(reports).hasSize(1);
        assertThat(scheduler.pending).isEmpty();
    }

    @Test
    void aFailingReaderOfReportsDoesNotStopTheLoop() {
        repo.push(Map.of("deploy/shop.yaml", "shop"));
        SyncLoop failing = new SyncLoop(new SyncRound(repo, new InMemoryApplySet(), SyncPolicy.DEFAULT, false, clock),
                INTERVAL, scheduler, report -> {
                    throw new IllegalStateException("the terminal went away");
                });
        failing.start();

        try {
            scheduler.runNext();
        } catch (IllegalStateException expected) {
            // The scheduler's thread would log it; the next round is scheduled all the same.
        }

        assertThat(scheduler.pending).hasSize(1);
    }
}
