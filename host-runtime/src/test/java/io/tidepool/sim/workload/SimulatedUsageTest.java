package io.tidepool.sim.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.tidepool.api.agent.ComputeMetrics;
import io.tidepool.api.quantity.Cu;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SimulatedUsageTest {
    static final Instant T0 = Instant.parse("2025-03-01T00:00:00Z");

    @Test
    void loadClimbsLikeLinuxTowardsTheRunnableWork() {
        SimulatedUsage usage = new SimulatedUsage(new Idle(new Demand(2, 0, 0)), T0);

        ComputeMetrics afterAMinute = usage.tick(T0.plusSeconds(60), Cu.ofWhole(1));

        // Twelve 5 s folds of e = exp(-5/60) make exp(-1) of the way left: 2 x (1 - 1/e).
        assertThat(afterAMinute.load1()).isCloseTo(2 * (1 - Math.exp(-1)), within(1e-9));
        // Queued work counts: the load passes the single vCPU allocated, which is what asks for an upscale.
        assertThat(usage.tick(T0.plusSeconds(600), Cu.ofWhole(1)).load1()).isGreaterThan(1.99);
    }

    @Test
    void loadDecaysWhenTheWorkStops() {
        Workload tenMinutesOfWork = t -> t.isAfter(T0.plus(Duration.ofMinutes(10))) ? Demand.NONE : new Demand(4, 0, 0);
        SimulatedUsage usage = new SimulatedUsage(tenMinutesOfWork, T0);

        double during = usage.tick(T0.plus(Duration.ofMinutes(10)), Cu.ofWhole(4)).load1();
        double afterLongGap = usage.tick(T0.plus(Duration.ofDays(2)), Cu.ofWhole(4)).load1();

        assertThat(during).isGreaterThan(3.9);
        assertThat(afterLongGap).isCloseTo(0, within(1e-3));
    }

    @Test
    void memoryBeyondTheAllocationIsPressureAndLeavesNoRoomForCache() {
        SimulatedUsage usage = new SimulatedUsage(new Idle(new Demand(0.1, 5 * Demand.GIB, 2 * Demand.GIB)), T0);

        ComputeMetrics squeezed = usage.tick(T0.plusSeconds(5), Cu.ofWhole(1));

        assertThat(squeezed.memoryUsedBytes()).isEqualTo(4 * Demand.GIB);
        assertThat(squeezed.cacheWorkingSetBytes()).isZero();
        assertThat(usage.memoryShortfallBytes()).isEqualTo(Demand.GIB);
        assertThat(usage.underMemoryPressure()).isTrue();

        ComputeMetrics roomy = usage.tick(T0.plusSeconds(10), Cu.ofWhole(2));
        assertThat(roomy.memoryUsedBytes()).isEqualTo(5 * Demand.GIB);
        assertThat(roomy.cacheWorkingSetBytes()).isEqualTo(2 * Demand.GIB);
        assertThat(usage.underMemoryPressure()).isFalse();
    }

    @Test
    void refusesToGoBackInTime() {
        SimulatedUsage usage = new SimulatedUsage(Idle.TYPICAL, T0);
        usage.tick(T0.plusSeconds(10), Cu.ofWhole(1));

        assertThatThrownBy(() -> usage.tick(T0.plusSeconds(5), Cu.ofWhole(1))).isInstanceOf(IllegalArgumentException.class);
    }
}
