package io.tidepool.autoscale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.tidepool.api.agent.ComputeMetrics;
import io.tidepool.api.agent.UpscaleRequest;
import io.tidepool.api.quantity.Cu;
import io.tidepool.autoscale.ScalingDecision.Direction;
import io.tidepool.autoscale.ScalingDecision.Reason;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AutoscalerTest {
    private static final long GIB = 1L << 30;
    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    private static final ScalingPolicy POLICY = ScalingPolicy.DEFAULT;

    private final GoalHistory history = new GoalHistory(POLICY.stabilisationWindow(), T0);

    @Test
    void upscalesAtOnceToTheLatestGoal() {
        sampleEvery10s(0, 60, 1.7, 1, 0);

        assertDecision(decide("1", at(60)), Direction.UP, "2", Reason.CPU,
                "upscale 1 -> 2 CU: load1 1.7 > 0.9 x 1 vCPU");
    }

    @Test
    void upscalesSeveralStepsInOneDecisionAndSaysWhichMeasureAsked() {
        sampleEvery10s(0, 60, 0.2, 0.5, 0);
        sample(61, 0.2, 9.5, 0);

        assertDecision(decide("1", at(61)), Direction.UP, "3.25", Reason.MEMORY,
                "upscale 1 -> 3.25 CU: memory 9.5 GiB > 75% of 4 GiB");
    }

    @Test
    void upscalesNoFurtherThanTheMaximumAndSaysTheGoalWasCapped() {
        sample(0, 5, 0, 0);

        ScalingDecision decision = decide(input("0.25", "2", "1", "1"), at(1));

        assertDecision(decision, Direction.UP, "2", Reason.CPU,
                "upscale 1 -> 2 CU: load1 5 > 0.9 x 1 vCPU (goal 5.75 CU, capped at the maximum 2 CU)");
    }

    @Test
    void aGrantedSizeBelowTheMinimumGoesUpToItEvenInFlightAndWithoutMetrics() {
        ScalingDecision decision = decide(new ScalingInput(cu("1"), cu("4"), cu("0.5"), null, history, null), at(0));

        assertDecision(decision, Direction.UP, "1", Reason.BOUNDS, "upscale 0.5 -> 1 CU: below the minimum 1 CU");
    }

    @Test
    void aGrantedSizeAboveTheMaximumGoesDownToItEvenWithBusyButStaleMetrics() {
        sample(0, 7, 20, 0);

        ScalingDecision decision = decide(input("0.25", "2", "4", "3"), at(600));

        assertDecision(decision, Direction.DOWN, "2", Reason.BOUNDS, "downscale 4 -> 2 CU: above the maximum 2 CU");
    }

    @Test
    void aGrantedSizeAboveTheMaximumWaitsOutTheBackoffAfterTheGuestRefusedToShrinkToIt() {
        ScalingInput refused = new ScalingInput(cu("0.25"), cu("0.25"), cu("1"), cu("1"), history, at(360));

        assertDecision(decide(refused, at(400)), Direction.HOLD, "1", Reason.REFUSED_RECENTLY,
                "hold at 1 CU: above the maximum 0.25 CU, but the guest refused a downscale 40s ago (retry after 2m)");
        assertDecision(decide(refused, at(480)), Direction.DOWN, "0.25", Reason.BOUNDS,
                "downscale 1 -> 0.25 CU: above the maximum 0.25 CU");
    }

    @Test
    void holdsWhileTheHostHasNotConfirmedTheGrantedSize() {
        sampleEvery10s(0, 60, 3, 1, 0);

        assertDecision(decide(input("0.25", "8", "2", "1"), at(60)), Direction.HOLD, "2", Reason.IN_FLIGHT,
                "hold at 2 CU: resize from 1 CU in flight");
        assertDecision(decide(input("0.25", "8", "2", null), at(60)), Direction.HOLD, "2", Reason.IN_FLIGHT,
                "hold at 2 CU: waiting for the host to report its first size");
    }

    @Test
    void answersTheGuestsCallForMemoryAtOnceWithAtLeastTwiceTheSizeEvenWithAResizeInFlight() {
        sampleEvery10s(0, 60, 0.1, 0.1, 0);
        UpscaleRequest small = new UpscaleRequest(at(60), 1280L << 20, "970 MiB in use of a 1024 MiB limit");
        UpscaleRequest large = new UpscaleRequest(at(60), 5 * GIB, "tasks are waiting at the 2048 MiB limit");

        assertDecision(decide(request(input("0.25", "2", "0.25", "0.25"), small), at(60)), Direction.UP, "0.5",
                Reason.PRESSURE, "upscale 0.25 -> 0.5 CU: the guest asks for 1280 MiB (970 MiB in use of a 1024 MiB limit)");
        assertDecision(decide(request(input("0.25", "4", "0.5", "0.25"), large), at(60)), Direction.UP, "1.25",
                Reason.PRESSURE, "upscale 0.5 -> 1.25 CU: the guest asks for 5120 MiB (tasks are waiting at the 2048 MiB limit)");
    }

    @Test
    void aCallForMemoryStopsAtTheMaximumAndIsIgnoredOnceCoveredOrStale() {
        sampleEvery10s(0, 60, 0.1, 0.1, 0);
        UpscaleRequest request = new UpscaleRequest(at(60), 6 * GIB, "");

        assertDecision(decide(request(input("0.25", "1", "0.5", "0.5"), request), at(60)), Direction.UP, "1",
                Reason.PRESSURE, "upscale 0.5 -> 1 CU: the guest asks for 6144 MiB (memory pressure)");
        assertDecision(decide(request(input("0.25", "1", "1", "1"), request), at(60)), Direction.HOLD, "1",
                Reason.AT_MAX, "hold at 1 CU: the guest asks for 6144 MiB (memory pressure), the maximum is 1 CU");
        assertThat(decide(request(input("0.25", "4", "2", "2"), request), at(60)).reason()).isEqualTo(Reason.OBSERVING);
        assertThat(decide(request(input("0.25", "4", "1", "1"), request), at(60).plusSeconds(31)).reason())
                .isEqualTo(Reason.STALE_METRICS);
    }

    @Test
    void aCallForMemoryHoldsDownscalesForAWindowThoughTheMetricsNeverSawTheUsage() {
        sampleEvery10s(0, 700, 0.1, 0.1, 0);

        assertDecision(decide(calledForMemoryAt(input("0.25", "2", "1", "1"), at(401)), at(700)), Direction.HOLD, "1",
                Reason.STABILISING, "hold at 1 CU: goal 0.25 CU, but the guest called for memory 4m59s ago, within the 5m window");
        assertDecision(decide(calledForMemoryAt(input("0.25", "2", "1", "1"), at(401)), at(701)), Direction.DOWN, "0.25",
                Reason.CPU, "downscale 1 -> 0.25 CU: the highest goal in the last 5m was 0.25 CU (load1 0.1)");
    }

    @Test
    void holdsOnStaleMetricsAndSaysHowOldTheyAre() {
        sampleEvery10s(0, 400, 0.1, 1, 0);

        assertDecision(decide("2", at(445)), Direction.HOLD, "2", Reason.STALE_METRICS,
                "hold at 2 CU: metrics are 45s old (stale after 30s)");
    }

    @Test
    void holdsWhenNoMetricsArrivedAtAll() {
        assertDecision(decide("2", at(360)), Direction.HOLD, "2", Reason.STALE_METRICS,
                "hold at 2 CU: no metrics received in 6m");
    }

    @Test
    void downscalesToTheHighestGoalOfTheWindowOnceItHasBeenWatched() {
        sampleEvery10s(0, 360, 0.2, 2.9, 1);

        assertDecision(decide("2", at(360)), Direction.DOWN, "1", Reason.MEMORY,
                "downscale 2 -> 1 CU: the highest goal in the last 5m was 1 CU (memory 2.9 GiB)");
    }

    @Test
    void downscalesToTheMinimumWhenTheGoalsAreBelowIt() {
        sampleEvery10s(0, 360, 0.4, 0.5, 0);

        assertDecision(decide(input("1", "8", "2", "2"), at(360)), Direction.DOWN, "1", Reason.CPU,
                "downscale 2 -> 1 CU: the highest goal in the last 5m was 0.5 CU (load1 0.4), the minimum is 1 CU");
    }

    @Test
    void aSpikeInTheWindowKeepsTheSize() {
        sampleEvery10s(0, 360, 0.2, 2.9, 0);
        sample(365, 1.7, 2.9, 0);
        sampleEvery10s(370, 400, 0.2, 2.9, 0);

        assertDecision(decide("2", at(400)), Direction.HOLD, "2", Reason.STABILISING,
                "hold at 2 CU: goal 1 CU, but the highest goal in the last 5m was 2 CU (load1 1.7)");
    }

    @Test
    void aSmallerSpikeInTheWindowLimitsTheDownscaleToItself() {
        sampleEvery10s(0, 360, 0.2, 2.9, 0);
        sample(365, 1.2, 2.9, 0);
        sampleEvery10s(370, 400, 0.2, 2.9, 0);

        assertDecision(decide("2", at(400)), Direction.DOWN, "1.5", Reason.CPU,
                "downscale 2 -> 1.5 CU: the highest goal in the last 5m was 1.5 CU (load1 1.2)");
    }

    @Test
    void aSpikeOlderThanTheWindowNoLongerCounts() {
        sample(0, 1.7, 2.9, 0);
        sampleEvery10s(10, 300, 0.2, 2.9, 0);
        assertThat(decide("2", at(300)).reason()).isEqualTo(Reason.STABILISING);

        sample(310, 0.2, 2.9, 0);
        assertDecision(decide("2", at(310)), Direction.DOWN, "1", Reason.MEMORY,
                "downscale 2 -> 1 CU: the highest goal in the last 5m was 1 CU (memory 2.9 GiB)");
    }

    @Test
    void aNewLeaderWaitsAWholeWindowBeforeItDownscales() {
        GoalHistory rebuilt = new GoalHistory(POLICY.stabilisationWindow(), at(200));
        for (int second = 200; second <= 440; second += 10) {
            rebuilt.record(Goal.of(metrics(second, 0.2, 2.9, 0), POLICY));
        }

        ScalingDecision decision = Autoscaler.decide(POLICY,
                new ScalingInput(cu("0.25"), cu("8"), cu("2"), cu("2"), rebuilt, null), at(440));

        assertDecision(decision, Direction.HOLD, "2", Reason.OBSERVING,
                "hold at 2 CU: goal 1 CU, but metrics watched for only 4m of the 5m window");
    }

    @Test
    void doesNotDownscaleSoonAfterTheGuestRefused() {
        sampleEvery10s(0, 400, 0.2, 2.9, 0);
        ScalingInput refusedRecently = new ScalingInput(cu("0.25"), cu("8"), cu("2"), cu("2"), history, at(360));

        assertDecision(decide(refusedRecently, at(400)), Direction.HOLD, "2", Reason.REFUSED_RECENTLY,
                "hold at 2 CU: goal 1 CU, but the guest refused a downscale 40s ago (retry after 2m)");
        assertThat(decide("2", at(400)).direction()).isEqualTo(Direction.DOWN);
    }

    @Test
    void retriesADownscaleOnceTheRefusalBackoffHasPassed() {
        sampleEvery10s(0, 470, 0.2, 2.9, 0);
        ScalingInput refused = new ScalingInput(cu("0.25"), cu("8"), cu("2"), cu("2"), history, at(360));
        assertThat(decide(refused, at(479)).reason()).isEqualTo(Reason.REFUSED_RECENTLY);

        sample(480, 0.2, 2.9, 0);
        assertThat(decide(refused, at(480)).direction()).isEqualTo(Direction.DOWN);
    }

    @Test
    void doesNotDownscaleAcrossAGapInTheMetrics() {
        sampleEvery10s(0, 200, 0.2, 2.9, 0);
        sampleEvery10s(245, 400, 0.2, 2.9, 0);

        assertDecision(decide("2", at(400)), Direction.HOLD, "2", Reason.METRICS_GAP,
                "hold at 2 CU: goal 1 CU, but the last 5m had a 45s gap in metrics (more than 30s)");
    }

    @Test
    void holdsAtTheGoalAndSaysWhenABoundIsWhatHoldsIt() {
        sampleEvery10s(0, 360, 1.7, 1, 0);
        assertDecision(decide("2", at(360)), Direction.HOLD, "2", Reason.AT_GOAL, "hold at 2 CU: goal 2 CU (load1 1.7)");

        assertDecision(decide(input("0.25", "1", "1", "1"), at(360)), Direction.HOLD, "1", Reason.AT_MAX,
                "hold at 1 CU: goal 2 CU (load1 1.7), the maximum is 1 CU");
        assertDecision(decide(input("4", "8", "4", "4"), at(360)), Direction.HOLD, "4", Reason.AT_GOAL,
                "hold at 4 CU: goal 2 CU (load1 1.7), the minimum is 4 CU");
    }

    @Test
    void theSameInputsGiveTheSameDecisionAndLeaveTheHistoryAlone() {
        sampleEvery10s(0, 360, 0.2, 2.9, 0);
        String before = history.toString();

        assertThat(decide("2", at(360))).isEqualTo(decide("2", at(360)));
        assertThat(history.toString()).isEqualTo(before);
    }

    @Test
    void policyRefusesNonsense() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> POLICY.withMetricsMaxAge(Duration.ofMinutes(10)))
                .withMessageContaining("cannot be longer than stabilisationWindow");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new ScalingPolicy(0, 0.75, 0.75, Duration.ofMinutes(5), Duration.ofSeconds(30), Duration.ZERO));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> POLICY.withRefusalBackoff(Duration.ofSeconds(-1)));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new ScalingInput(cu("2"), cu("1"), cu("1"), cu("1"), history, null));
    }

    private void sampleEvery10s(int fromSecond, int toSecond, double load1, double memoryGib, double cacheGib) {
        for (int second = fromSecond; second <= toSecond; second += 10) {
            sample(second, load1, memoryGib, cacheGib);
        }
    }

    private void sample(int second, double load1, double memoryGib, double cacheGib) {
        history.record(Goal.of(metrics(second, load1, memoryGib, cacheGib), POLICY));
    }

    private static ComputeMetrics metrics(int second, double load1, double memoryGib, double cacheGib) {
        return new ComputeMetrics(at(second), load1, (long) (memoryGib * GIB), (long) (cacheGib * GIB));
    }

    private ScalingDecision decide(String granted, Instant now) {
        return decide(input("0.25", "8", granted, granted), now);
    }

    private ScalingDecision decide(ScalingInput input, Instant now) {
        return Autoscaler.decide(POLICY, input, now);
    }

    private ScalingInput input(String min, String max, String granted, String applied) {
        return new ScalingInput(cu(min), cu(max), cu(granted), applied == null ? null : cu(applied), history, null);
    }

    private static ScalingInput request(ScalingInput input, UpscaleRequest request) {
        return new ScalingInput(input.minCu(), input.maxCu(), input.granted(), input.applied(), input.goals(),
                input.lastRefusalAt(), request, request.at());
    }

    private static ScalingInput calledForMemoryAt(ScalingInput input, Instant at) {
        return new ScalingInput(input.minCu(), input.maxCu(), input.granted(), input.applied(), input.goals(),
                input.lastRefusalAt(), null, at);
    }

    private static void assertDecision(ScalingDecision decision, Direction direction, String to, Reason reason,
            String explanation) {
        assertThat(decision.explanation()).isEqualTo(explanation);
        assertThat(decision.direction()).isEqualTo(direction);
        assertThat(decision.to()).isEqualTo(cu(to));
        assertThat(decision.reason()).isEqualTo(reason);
    }

    private static Instant at(int second) {
        return T0.plusSeconds(second);
    }

    private static Cu cu(String text) {
        return Cu.parse(text);
    }
}
