package io.tidepool.autoscale;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidepool.api.agent.ComputeMetrics;
import io.tidepool.api.quantity.Cu;
import java.time.Instant;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class GoalTest {
    private static final long GIB = 1L << 30;
    private static final Instant AT = Instant.parse("2025-01-01T00:00:00Z");

    @Test
    void cpuGoalKeepsLoad1AtNinetyPercentOfTheVcpusRoundedUpToAQuarter() {
        Goal goal = goal(1.7, 0, 0);

        assertThat(goal.cpu()).isEqualTo(Cu.ofWhole(2)); // 1.7 / 0.9 = 1.89 vCPU
        assertThat(goal.dominant()).isEqualTo(Goal.Dimension.CPU);
        assertThat(goal.whyAbove(Cu.ofWhole(1))).isEqualTo("load1 1.7 > 0.9 x 1 vCPU");
    }

    @Test
    void memoryGoalKeepsUseAtSeventyFivePercentOfTheMemory() {
        Goal goal = goal(0.1, (long) (3.2 * GIB), GIB);

        assertThat(goal.memory()).isEqualTo(Cu.parse("1.25")); // 3.2 / 0.75 = 4.27 GiB
        assertThat(goal.total()).isEqualTo(Cu.parse("1.25"));
        assertThat(goal.dominant()).isEqualTo(Goal.Dimension.MEMORY);
        assertThat(goal.whyAbove(Cu.ofWhole(1))).isEqualTo("memory 3.2 GiB > 75% of 4 GiB");
        assertThat(goal.observed()).isEqualTo("memory 3.2 GiB");
    }

    @Test
    void cacheGoalKeepsTheWorkingSetAtSeventyFivePercentOfTheMemory() {
        Goal goal = goal(0.1, GIB, 7 * GIB);

        assertThat(goal.cache()).isEqualTo(Cu.parse("2.5")); // 7 / 0.75 = 9.33 GiB
        assertThat(goal.dominant()).isEqualTo(Goal.Dimension.CACHE);
        assertThat(goal.whyAbove(Cu.parse("1.5"))).isEqualTo("cache 7 GiB > 75% of 6 GiB");
    }

    @Test
    void exactTargetsDoNotRoundUpToTheNextQuarter() {
        Goal goal = goal(1.8, 3 * GIB, 3 * GIB);

        assertThat(goal.cpu()).isEqualTo(Cu.ofWhole(2));
        assertThat(goal.memory()).isEqualTo(Cu.ofWhole(1));
        assertThat(goal.cache()).isEqualTo(Cu.ofWhole(1));
    }

    @Test
    void anIdleComputeAsksForNothingAndATieGoesToCpu() {
        Goal goal = goal(0, 0, 0);

        assertThat(goal.total()).isEqualTo(Cu.ZERO);
        assertThat(goal.dominant()).isEqualTo(Goal.Dimension.CPU);
    }

    @Test
    void anAbsurdLoadGivesTheLargestGoalInsteadOfOverflowing() {
        assertThat(goal(Double.POSITIVE_INFINITY, 0, 0).total().quarters()).isEqualTo(Goal.MAX_QUARTERS);
        assertThat(goal(1e300, Long.MAX_VALUE, 0).total().quarters()).isEqualTo(Goal.MAX_QUARTERS);
    }

    @Test
    void aComparisonShownIsNeverFalseBecauseOfRounding() {
        // 0.901 > 0.9 x 1 vCPU asks for 1.25 CU; shown as 0.9 it would read "0.9 > 0.9".
        assertThat(goal(0.901, 0, 0).whyAbove(Cu.ofWhole(1))).isEqualTo("load1 0.91 > 0.9 x 1 vCPU");
    }

    @Property(tries = 500)
    void eachGoalIsTheSmallestQuarterThatKeepsItsMeasureAtOrBelowTarget(
            @ForAll @DoubleRange(min = 0, max = 200) double load1,
            @ForAll @LongRange(min = 0, max = 1L << 40) long memoryBytes,
            @ForAll @LongRange(min = 0, max = 1L << 40) long cacheBytes) {
        ScalingPolicy policy = ScalingPolicy.DEFAULT;
        Goal goal = Goal.of(new ComputeMetrics(AT, load1, memoryBytes, cacheBytes), policy);
        double slack = 1e-6;

        assertThat(load1).isLessThanOrEqualTo(policy.cpuTarget() * vcpus(goal.cpu()) + slack);
        assertThat(memoryBytes).isLessThanOrEqualTo((long) (policy.memoryTarget() * goal.memory().memory().value() + 1));
        assertThat(cacheBytes).isLessThanOrEqualTo((long) (policy.cacheTarget() * goal.cache().memory().value() + 1));
        if (!goal.cpu().isZero()) {
            assertThat(load1).isGreaterThan(policy.cpuTarget() * vcpus(goal.cpu().minus(Cu.QUARTER)) - slack);
        }
        if (!goal.memory().isZero()) {
            assertThat((double) memoryBytes).isGreaterThan(policy.memoryTarget() * goal.memory().minus(Cu.QUARTER).memory().value());
        }
        assertThat(goal.total()).isEqualTo(goal.cpu().max(goal.memory()).max(goal.cache()));
    }

    private static double vcpus(Cu cu) {
        return cu.quarters() / 4.0;
    }

    private static Goal goal(double load1, long memoryBytes, long cacheBytes) {
        return Goal.of(new ComputeMetrics(AT, load1, memoryBytes, cacheBytes), ScalingPolicy.DEFAULT);
    }
}
