package io.tidepool.autoscale;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidepool.api.agent.ComputeMetrics;
import io.tidepool.api.quantity.Cu;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class GoalHistoryTest {
    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    private static final Duration WINDOW = Duration.ofMinutes(5);
    private static final long SLOT_MS = WINDOW.toMillis() / GoalHistory.SLOTS_PER_WINDOW;

    @Test
    void remembersTheHighestGoalOfTheWindowAndWhatDroveIt() {
        GoalHistory history = new GoalHistory(WINDOW, T0);
        history.record(goal(T0, 0.4));
        history.record(goal(T0.plusSeconds(10), 1.7));
        history.record(goal(T0.plusSeconds(20), 0.4));

        RecentGoals.Peak peak = history.peakSince(T0).orElseThrow();

        assertThat(peak.goal()).isEqualTo(Cu.ofWhole(2));
        assertThat(peak.at()).isEqualTo(T0.plusSeconds(10));
        assertThat(peak.describe()).isEqualTo("load1 1.7");
        assertThat(history.peakSince(T0.plusSeconds(11)).orElseThrow().goal()).isEqualTo(Cu.parse("0.5"));
        assertThat(history.latest().orElseThrow().sample().at()).isEqualTo(T0.plusSeconds(20));
    }

    @Test
    void forgetsGoalsOlderThanTheWindow() {
        GoalHistory history = new GoalHistory(WINDOW, T0);
        history.record(goal(T0, 5));
        history.record(goal(T0.plus(WINDOW).plusSeconds(1), 0.4));

        assertThat(history.size()).isEqualTo(1);
        assertThat(history.peakSince(Instant.EPOCH).orElseThrow().goal()).isEqualTo(Cu.parse("0.5"));
    }

    @Test
    void ignoresLateAndRepeatedSamples() {
        GoalHistory history = new GoalHistory(WINDOW, T0);
        assertThat(history.record(goal(T0.plusSeconds(10), 0.4))).isTrue();

        assertThat(history.record(goal(T0.plusSeconds(10), 5))).isFalse();
        assertThat(history.record(goal(T0, 5))).isFalse();
        assertThat(history.size()).isEqualTo(1);
        assertThat(history.latest().orElseThrow().sample().load1()).isEqualTo(0.4);
    }

    @Test
    void samplesInOneSlotShareAnEntryThatKeepsTheirHighestGoalAndNewestTime() {
        GoalHistory history = new GoalHistory(WINDOW, T0);
        history.record(goal(T0, 0.4));
        history.record(goal(T0.plusMillis(1000), 3));
        history.record(goal(T0.plusMillis(2000), 0.4));

        assertThat(history.size()).isEqualTo(1);
        assertThat(history.peakSince(T0).orElseThrow())
                .isEqualTo(new RecentGoals.Peak(T0.plusMillis(2000), Cu.parse("3.5"), Goal.Dimension.CPU, 3.0));
    }

    @Test
    void measuresTheLongestStretchWithoutASampleIncludingBothEnds() {
        GoalHistory history = new GoalHistory(WINDOW, T0);
        history.record(goal(T0.plusSeconds(20), 0.4));
        history.record(goal(T0.plusSeconds(30), 0.4));
        history.record(goal(T0.plusSeconds(75), 0.4));

        assertThat(history.longestGapBetween(T0, T0.plusSeconds(80))).isEqualTo(Duration.ofSeconds(45));
        assertThat(history.longestGapBetween(T0, T0.plusSeconds(200))).isEqualTo(Duration.ofSeconds(125));
        assertThat(history.longestGapBetween(T0.plusSeconds(80), T0.plusSeconds(90))).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void anEmptyHistoryHasNoPeakAndOneLongGap() {
        GoalHistory history = new GoalHistory(WINDOW, T0);

        assertThat(history.latest()).isEmpty();
        assertThat(history.peakSince(T0)).isEmpty();
        assertThat(history.longestGapBetween(T0, T0.plusSeconds(60))).isEqualTo(Duration.ofSeconds(60));
    }

    @Property(tries = 200)
    void keepsOnlyTheWindowAndStaysBoundedHoweverManySamplesArrive(
            @ForAll("intervalsMs") List<Integer> intervalsMs, @ForAll @IntRange(min = 1, max = 600) int windowSeconds) {
        Duration window = Duration.ofSeconds(windowSeconds);
        GoalHistory history = new GoalHistory(window, T0);
        Instant at = T0;
        for (int interval : intervalsMs) {
            at = at.plusMillis(interval);
            history.record(goal(at, interval % 7));

            assertThat(history.size()).isLessThanOrEqualTo(history.maxEntries());
            assertThat(history.capacity()).isLessThanOrEqualTo(history.maxEntries());
            assertThat(history.oldestEntryAt().orElseThrow()).isAfterOrEqualTo(at.minus(window));
        }
        assertThat(history.maxEntries()).isLessThanOrEqualTo(2 * GoalHistory.SLOTS_PER_WINDOW + 2);
    }

    @Property(tries = 300)
    void peakAndGapsMatchANaiveListWhenSamplesAreASlotApart(
            @ForAll("slotApartIntervalsMs") List<Integer> intervalsMs, @ForAll("queryOffsetsMs") long fromBeforeLatestMs) {
        List<Goal> all = new ArrayList<>();
        GoalHistory history = recordAll(intervalsMs, all);
        Instant latest = all.get(all.size() - 1).sample().at();
        Instant from = latest.minusMillis(fromBeforeLatestMs);
        Instant to = latest.plusMillis(fromBeforeLatestMs % 40_000);

        assertThat(history.peakSince(from).map(RecentGoals.Peak::goal)).isEqualTo(naivePeak(all, from, 0));
        assertThat(history.longestGapBetween(from, to)).isEqualTo(naiveLongestGap(all, from, to));
    }

    @Property(tries = 300)
    void mergedSlotsOnlyEverRememberMoreAndOnlyEverSeeLongerGaps(
            @ForAll("intervalsMs") List<Integer> intervalsMs, @ForAll("queryOffsetsMs") long fromBeforeLatestMs) {
        List<Goal> all = new ArrayList<>();
        GoalHistory history = recordAll(intervalsMs, all);
        Instant latest = all.get(all.size() - 1).sample().at();
        Instant from = latest.minusMillis(fromBeforeLatestMs);
        Instant to = latest.plusMillis(fromBeforeLatestMs % 40_000);

        long peak = history.peakSince(from).orElseThrow().goal().quarters();
        assertThat(peak).isGreaterThanOrEqualTo(naivePeak(all, from, 0).orElseThrow().quarters());
        assertThat(peak).isLessThanOrEqualTo(naivePeak(all, from, SLOT_MS).orElseThrow().quarters());
        Duration gap = history.longestGapBetween(from, to);
        Duration naiveGap = naiveLongestGap(all, from, to);
        assertThat(gap).isBetween(naiveGap, naiveGap.plusMillis(SLOT_MS));
    }

    @Property(tries = 100)
    void staysExactOverMonthsOfSamplesAsItsTimeBaseMovesForward(
            @ForAll("hoursApart") List<Integer> intervalsHours, @ForAll @IntRange(min = 0, max = 240) int fromHoursBeforeLatest) {
        Duration window = Duration.ofDays(10);
        GoalHistory history = new GoalHistory(window, T0);
        List<Goal> all = new ArrayList<>();
        Instant at = T0;
        for (int i = 0; i < intervalsHours.size(); i++) {
            at = at.plus(Duration.ofHours(intervalsHours.get(i)));
            Goal goal = goal(at, ((i * 7919L) % 37) / 4.0);
            all.add(goal);
            history.record(goal);
        }
        Instant from = at.minus(Duration.ofHours(fromHoursBeforeLatest));

        assertThat(history.peakSince(from).map(RecentGoals.Peak::at))
                .contains(all.stream().filter(g -> !g.sample().at().isBefore(from))
                        .max(java.util.Comparator.comparing(Goal::total)
                                .thenComparing(g -> g.sample().at())).orElseThrow().sample().at());
        assertThat(history.peakSince(from).map(RecentGoals.Peak::goal)).isEqualTo(naivePeak(all, from, 0));
        assertThat(history.longestGapBetween(from, at.plusSeconds(1))).isEqualTo(naiveLongestGap(all, from, at.plusSeconds(1)));
        assertThat(history.oldestEntryAt().orElseThrow()).isAfterOrEqualTo(at.minus(window));
    }

    @Provide
    Arbitrary<List<Integer>> hoursApart() {
        // At least one slot (10 days / 60 = 4 hours) apart; 30 to 200 samples span 5 to 600 days.
        return Arbitraries.integers().between(4, 72).list().ofMinSize(30).ofMaxSize(200);
    }

    @Provide
    Arbitrary<List<Integer>> intervalsMs() {
        return Arbitraries.oneOf(Arbitraries.integers().between(1, 200), Arbitraries.integers().between(1, 20_000),
                Arbitraries.integers().between(1, 120_000)).list().ofMinSize(1).ofMaxSize(2_000);
    }

    @Provide
    Arbitrary<List<Integer>> slotApartIntervalsMs() {
        return Arbitraries.integers().between((int) SLOT_MS, 60_000).list().ofMinSize(1).ofMaxSize(300);
    }

    @Provide
    Arbitrary<Long> queryOffsetsMs() {
        return Arbitraries.longs().between(0, WINDOW.toMillis());
    }

    private static GoalHistory recordAll(List<Integer> intervalsMs, List<Goal> all) {
        GoalHistory history = new GoalHistory(WINDOW, T0);
        Instant at = T0;
        for (int i = 0; i < intervalsMs.size(); i++) {
            at = at.plusMillis(intervalsMs.get(i));
            // Goals go up and down without a pattern the slots could line up with.
            Goal goal = goal(at, ((i * 7919L + intervalsMs.get(i)) % 37) / 4.0);
            all.add(goal);
            history.record(goal);
        }
        return history;
    }

    /** The highest goal of samples at or after {@code from - earlierMs}, among all ever recorded. */
    private static java.util.Optional<Cu> naivePeak(List<Goal> all, Instant from, long earlierMs) {
        return all.stream().filter(g -> !g.sample().at().isBefore(from.minusMillis(earlierMs)))
                .map(Goal::total).max(Cu::compareTo);
    }

    private static Duration naiveLongestGap(List<Goal> all, Instant from, Instant to) {
        Instant previous = from;
        Duration longest = Duration.ZERO;
        for (Goal goal : all) {
            Instant at = goal.sample().at();
            if (!at.isBefore(from) && !at.isAfter(to)) {
                longest = max(longest, Duration.between(previous, at));
                previous = at;
            }
        }
        return max(longest, Duration.between(previous, to));
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    static Goal goal(Instant at, double load1) {
        return Goal.of(new ComputeMetrics(at, load1, 0, 0), ScalingPolicy.DEFAULT);
    }
}
