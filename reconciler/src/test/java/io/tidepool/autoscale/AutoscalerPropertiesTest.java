package io.tidepool.autoscale;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidepool.api.agent.ComputeMetrics;
import io.tidepool.api.quantity.Cu;
import io.tidepool.autoscale.ScalingDecision.Direction;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.PropertyDefaults;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

// Mixed-in edge cases skew the scenarios (40% had no reported size, few downscales); the generators
// below already reach the edges that matter (no samples, zero usage, granted outside the bounds).
@PropertyDefaults(edgeCases = EdgeCasesMode.NONE)
class AutoscalerPropertiesTest {
    private static final long GIB = 1L << 30;
    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

    /** One compute as the leader sees it at {@code now}; the history is rebuilt from the samples. */
    record Scenario(ScalingPolicy policy, Cu min, Cu max, Cu granted, Cu applied, Instant observingSince,
            List<ComputeMetrics> samples, Instant lastRefusalAt, Instant lastPressureAt, Instant now) {

        GoalHistory history() {
            GoalHistory history = new GoalHistory(policy.stabilisationWindow(), observingSince);
            samples.forEach(sample -> history.record(Goal.of(sample, policy)));
            return history;
        }

        ScalingInput input(RecentGoals goals) {
            return new ScalingInput(min, max, granted, applied, goals, lastRefusalAt, null, lastPressureAt);
        }

        ScalingDecision decide() {
            return Autoscaler.decide(policy, input(history()), now);
        }

        Optional<ComputeMetrics> latest() {
            return samples.isEmpty() ? Optional.empty() : Optional.of(samples.get(samples.size() - 1));
        }

        boolean freshMetrics() {
            return latest().map(s -> Duration.between(s.at(), now).compareTo(policy.metricsMaxAge()) <= 0).orElse(false);
        }

        boolean withinBounds() {
            return granted.compareTo(min) >= 0 && granted.compareTo(max) <= 0;
        }

        Cu clamp(Cu cu) {
            return cu.max(min).min(max);
        }

        List<ComputeMetrics> inWindow() {
            Instant windowStart = now.minus(policy.stabilisationWindow());
            return samples.stream().filter(s -> !s.at().isBefore(windowStart) && !s.at().isAfter(now)).toList();
        }
    }

    @Property(tries = 1000)
    void theTargetIsAlwaysWithinTheBoundsUnlessTheGuestJustRefusedToShrinkToThem(@ForAll("scenarios") Scenario scenario) {
        ScalingDecision decision = scenario.decide();
        boolean onMetrics = decision.changes() && decision.reason() != ScalingDecision.Reason.BOUNDS;
        Statistics.label("direction").collect(decision.direction(), onMetrics ? "on metrics" : "");
        Statistics.label("reason").collect(decision.reason().label());

        if (decision.reason() == ScalingDecision.Reason.REFUSED_RECENTLY && scenario.granted().compareTo(scenario.max()) > 0) {
            assertThat(decision.direction()).isEqualTo(Direction.HOLD);
        } else {
            assertThat(decision.to()).isBetween(scenario.min(), scenario.max());
        }
        assertThat(decision.from()).isEqualTo(scenario.granted());
        // Cu holds a whole count of quarter steps, so being a Cu is being a multiple of a quarter.
        assertThat(decision.to().toDecimal().remainder(java.math.BigDecimal.valueOf(0.25)).signum()).isZero();
        Statistics.label("direction").coverage(coverage -> {
            coverage.check(Direction.DOWN, "on metrics").percentage(p -> p >= 2);
            coverage.check(Direction.UP, "on metrics").percentage(p -> p >= 5);
        });
    }

    @Property(tries = 1000)
    void neverDownscalesOnStaleOrMissingMetricsUnlessAboveTheMaximum(@ForAll("scenarios") Scenario scenario) {
        ScalingDecision decision = scenario.decide();

        if (!scenario.freshMetrics() && scenario.granted().compareTo(scenario.max()) <= 0) {
            assertThat(decision.direction()).isNotEqualTo(Direction.DOWN);
        }
    }

    @Property(tries = 1000)
    void neverDownscalesBeforeAWholeWindowWasWatched(@ForAll("scenarios") Scenario scenario) {
        ScalingDecision decision = scenario.decide();
        Duration watched = Duration.between(scenario.observingSince(), scenario.now());

        if (watched.compareTo(scenario.policy().stabilisationWindow()) < 0 && scenario.withinBounds()) {
            assertThat(decision.direction()).isNotEqualTo(Direction.DOWN);
        }
    }

    @Property(tries = 1000)
    void neverDownscalesBelowTheGoalOfAnySampleInTheWindow(@ForAll("scenarios") Scenario scenario) {
        ScalingDecision decision = scenario.decide();

        if (decision.direction() == Direction.DOWN && scenario.withinBounds()) {
            assertThat(scenario.inWindow()).isNotEmpty().allSatisfy(sample -> assertThat(decision.to())
                    .isGreaterThanOrEqualTo(scenario.clamp(Goal.of(sample, scenario.policy()).total())));
        }
    }

    @Property(tries = 1000)
    void neverDownscalesWithinTheRefusalBackoffNorAWindowAfterACallForMemoryNorAcrossAGap(@ForAll("scenarios") Scenario scenario) {
        ScalingDecision decision = scenario.decide();

        // Not even to a lowered maximum: the guest may refuse that too.
        if (decision.direction() == Direction.DOWN && scenario.lastRefusalAt() != null) {
            assertThat(Duration.between(scenario.lastRefusalAt(), scenario.now()))
                    .isGreaterThanOrEqualTo(scenario.policy().refusalBackoff());
        }
        if (decision.direction() == Direction.DOWN && scenario.withinBounds()) {
            if (scenario.lastPressureAt() != null) {
                assertThat(Duration.between(scenario.lastPressureAt(), scenario.now()))
                        .isGreaterThanOrEqualTo(scenario.policy().stabilisationWindow());
            }
            Instant previous = scenario.now().minus(scenario.policy().stabilisationWindow());
            for (ComputeMetrics sample : scenario.inWindow()) {
                assertThat(Duration.between(previous, sample.at())).isLessThanOrEqualTo(scenario.policy().metricsMaxAge());
                previous = sample.at();
            }
        }
    }

    @Property(tries = 1000)
    void upscalesExactlyToTheClampedGoalOfTheLatestFreshSample(@ForAll("scenarios") Scenario scenario) {
        ScalingDecision decision = scenario.decide();

        if (decision.direction() == Direction.UP && scenario.granted().compareTo(scenario.min()) >= 0) {
            assertThat(scenario.freshMetrics()).isTrue();
            assertThat(scenario.applied()).isEqualTo(scenario.granted());
            Goal latest = Goal.of(scenario.latest().orElseThrow(), scenario.policy());
            assertThat(decision.to()).isEqualTo(scenario.clamp(latest.total()));
        }
    }

    @Property(tries = 1000)
    void holdsWhileAResizeIsInFlightUnlessOutOfBounds(@ForAll("scenarios") Scenario scenario) {
        ScalingDecision decision = scenario.decide();

        if (!scenario.granted().equals(scenario.applied()) && scenario.withinBounds()) {
            assertThat(decision.direction()).isEqualTo(Direction.HOLD);
            assertThat(decision.reason()).isEqualTo(ScalingDecision.Reason.IN_FLIGHT);
        }
    }

    @Property(tries = 500)
    void isDeterministicAndLeavesTheHistoryAsItWas(@ForAll("scenarios") Scenario scenario) {
        GoalHistory history = scenario.history();
        String before = history.toString();

        ScalingDecision first = Autoscaler.decide(scenario.policy(), scenario.input(history), scenario.now());
        ScalingDecision again = Autoscaler.decide(scenario.policy(), scenario.input(history), scenario.now());

        assertThat(again).isEqualTo(first).isEqualTo(scenario.decide());
        assertThat(history.toString()).isEqualTo(before);
        assertThat(first.explanation()).startsWith(switch (first.direction()) {
            case UP -> "upscale " + first.from() + " -> " + first.to() + " CU: ";
            case DOWN -> "downscale " + first.from() + " -> " + first.to() + " CU: ";
            case HOLD -> "hold at " + first.from() + " CU: ";
        }).doesNotContain("\n");
    }

    @Provide
    Arbitrary<Scenario> scenarios() {
        Arbitrary<ScalingPolicy> policies = Combinators.combine(
                Arbitraries.integers().between(30, 600), Arbitraries.integers().between(5, 60),
                Arbitraries.integers().between(0, 300))
                .as((window, maxAge, backoff) -> ScalingPolicy.DEFAULT
                        .withStabilisationWindow(Duration.ofSeconds(window))
                        .withMetricsMaxAge(Duration.ofSeconds(Math.min(maxAge, window)))
                        .withRefusalBackoff(Duration.ofSeconds(backoff)));
        // Mostly a granted size within the bounds, as it is between bound changes.
        Arbitrary<Tuple.Tuple3<Cu, Cu, Cu>> bounds = Combinators.combine(
                Arbitraries.integers().between(0, 16), Arbitraries.integers().between(0, 24),
                Arbitraries.doubles().between(0, 1), Arbitraries.frequency(Tuple.of(9, -1), Tuple.of(1, 0)),
                Arbitraries.integers().between(0, 48))
                .as((min, span, withinShare, outside, anyGranted) -> Tuple.of(Cu.ofQuarters(min),
                        Cu.ofQuarters(min + span),
                        Cu.ofQuarters(outside < 0 ? min + Math.round(withinShare * span) : anyGranted)));
        Arbitrary<Integer> appliedChoice = Arbitraries.frequency(Tuple.of(1, 0), Tuple.of(16, 1), Tuple.of(1, 2));
        Arbitrary<Integer> intervalsSeconds = Arbitraries.frequency(
                Tuple.of(12, 10), Tuple.of(4, 5), Tuple.of(1, 25), Tuple.of(1, 60));
        Arbitrary<List<Tuple.Tuple2<Integer, double[]>>> samples = usageRegimes().flatMap(usage ->
                Combinators.combine(intervalsSeconds, usage).as(Tuple::of).list().ofMaxSize(90));
        return Combinators.combine(policies, bounds, appliedChoice, samples,
                        Arbitraries.integers().between(0, 400),
                        Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.integers().between(0, 5)),
                                Tuple.of(1, Arbitraries.integers().between(0, 70))),
                        Arbitraries.integers().between(-1, 400),
                        Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.just(-1)), Tuple.of(1, Arbitraries.integers().between(0, 700))))
                .as(AutoscalerPropertiesTest::scenario);
    }

    /**
     * How one compute's samples are drawn (load1, memory GiB, cache GiB): one regime per scenario, so
     * that quiet computes, which downscale, are as common as busy or spiky ones.
     */
    private static Arbitrary<Arbitrary<double[]>> usageRegimes() {
        Arbitrary<double[]> idle = usage(0.6, 2);
        Arbitrary<double[]> medium = usage(3, 10);
        Arbitrary<double[]> busy = usage(12, 40);
        Arbitrary<double[]> spiky = Arbitraries.frequencyOf(Tuple.of(19, idle), Tuple.of(1, busy));
        return Arbitraries.of(idle, medium, busy, spiky);
    }

    private static Arbitrary<double[]> usage(double maxLoad1, double maxGib) {
        return Combinators.combine(Arbitraries.doubles().between(0, maxLoad1),
                Arbitraries.doubles().between(0, maxGib), Arbitraries.doubles().between(0, maxGib))
                .as((load, memory, cache) -> new double[] {load, memory, cache});
    }

    private static Scenario scenario(ScalingPolicy policy, Tuple.Tuple3<Cu, Cu, Cu> bounds, int appliedChoice,
            List<Tuple.Tuple2<Integer, double[]>> samples, int observingOffsetSeconds, int nowAfterLastSeconds,
            int refusedSecondsAgo, int calledForMemorySecondsAgo) {
        List<ComputeMetrics> metrics = new ArrayList<>();
        Instant at = T0;
        for (Tuple.Tuple2<Integer, double[]> sample : samples) {
            at = at.plusSeconds(sample.get1());
            double[] usage = sample.get2();
            metrics.add(new ComputeMetrics(at, usage[0], (long) (usage[1] * GIB), (long) (usage[2] * GIB)));
        }
        Instant now = at.plusSeconds(nowAfterLastSeconds);
        Cu granted = bounds.get3();
        Cu applied = switch (appliedChoice) {
            case 0 -> null;
            case 1 -> granted;
            default -> granted.plus(Cu.QUARTER);
        };
        Instant refusal = refusedSecondsAgo < 0 ? null : now.minusSeconds(refusedSecondsAgo);
        Instant pressure = calledForMemorySecondsAgo < 0 ? null : now.minusSeconds(calledForMemorySecondsAgo);
        return new Scenario(policy, bounds.get1(), bounds.get2(), granted, applied,
                T0.plusSeconds(observingOffsetSeconds), metrics, refusal, pressure, now);
    }
}
