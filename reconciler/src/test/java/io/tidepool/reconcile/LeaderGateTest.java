package io.tidepool.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidepool.store.Await;
import io.tidepool.store.Leadership;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class LeaderGateTest {
    private final SwitchableLeadership leadership = new SwitchableLeadership();
    private final List<String> log = new CopyOnWriteArrayList<>();
    private int terms;

    @Test
    void runsAFreshTermForEachLeadershipAndStopsItOnLoss() {
        try (LeaderGate gate = new LeaderGate(leadership, () -> {
            int term = ++terms;
            log.add("start " + term);
            return () -> log.add("stop " + term);
        })) {
            leadership.set(true);
            Await.until(Duration.ofSeconds(10), "the first term", gate::running);
            leadership.set(false);
            Await.until(Duration.ofSeconds(10), "the first term to stop", () -> !gate.running());
            leadership.set(true);
            Await.until(Duration.ofSeconds(10), "the second term", gate::running);
        }
        assertThat(log).containsExactly("start 1", "stop 1", "start 2", "stop 2");
    }

    /** A leadership that the test switches by hand. */
    private static final class SwitchableLeadership implements Leadership {
        private final List<Consumer<Boolean>> listeners = new ArrayList<>();
        private volatile boolean leading;

        synchronized void set(boolean leads) {
            leading = leads;
            listeners.forEach(l -> l.accept(leads));
        }

        @Override
        public boolean isLeader() {
            return leading;
        }

        @Override
        public Optional<String> leaderId() {
            return leading ? Optional.of("me") : Optional.empty();
        }

        @Override
        public synchronized void addListener(Consumer<Boolean> listener) {
            listeners.add(listener);
        }
    }
}
