package io.tidepool.autoscale;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidepool.api.agent.ComputeMetrics;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * How much heap one compute's history takes for a 5 minute window of 10 s samples, as the leader
 * keeps it for 100,000 computes. The size is printed, not asserted: heap measurements are noisy.
 */
class GoalHistoryFootprintTest {
    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    private static final Duration WINDOW = Duration.ofMinutes(5);
    private static final int COMPUTES = 20_000;

    @Test
    void aFiveMinuteWindowOfTenSecondSamplesHoldsThirtyOneEntriesInArraysOfThirtyTwo() {
        long before = usedHeapBytes();
        GoalHistory[] histories = new GoalHistory[COMPUTES];
        for (int compute = 0; compute < COMPUTES; compute++) {
            histories[compute] = tenMinutesOfSamples(compute);
        }
        long after = usedHeapBytes();

        System.out.printf("GoalHistory footprint, 5m window, 10s samples: %d bytes per compute"
                        + " (%d entries, arrays of %d; %d computes measured)%n",
                (after - before) / COMPUTES, histories[0].size(), histories[0].capacity(), COMPUTES);
        assertThat(histories).allSatisfy(history -> {
            assertThat(history.size()).isEqualTo(31);
            assertThat(history.capacity()).isEqualTo(32);
        });
    }

    private static GoalHistory tenMinutesOfSamples(int compute) {
        GoalHistory history = new GoalHistory(WINDOW, T0);
        for (int second = 0; second <= 600; second += 10) {
            ComputeMetrics sample = new ComputeMetrics(T0.plusSeconds(second), (compute % 40) / 10.0,
                    (compute % 8L) << 30, (second % 4L) << 30);
            history.record(Goal.of(sample, ScalingPolicy.DEFAULT));
        }
        return history;
    }

    private static long usedHeapBytes() {
        Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
