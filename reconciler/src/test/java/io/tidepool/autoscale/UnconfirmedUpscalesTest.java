package io.tidepool.autoscale;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidepool.api.quantity.Cu;
import io.tidepool.api.resource.Compute;
import io.tidepool.api.resource.ObjectMeta;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class UnconfirmedUpscalesTest {
    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    private static final ScalingDecision.Reason PRESSURE = ScalingDecision.Reason.PRESSURE;

    private final UnconfirmedUpscales upscales = new UnconfirmedUpscales();

    @Test
    void confirmsOnceTheHostReportsTheGrantedSizeTimedFromTheStart() {
        upscales.granting("a-1", Cu.ofWhole(2), PRESSURE, T0);

        assertThat(upscales.observe(compute(Cu.ofWhole(2), Cu.ofWhole(1)), T0.plusMillis(10))).isEmpty();
        assertThat(upscales.observe(compute(Cu.ofWhole(2), Cu.ofWhole(2)), T0.plusMillis(23)))
                .contains(new UnconfirmedUpscales.Confirmed(PRESSURE, Duration.ofMillis(23)));
        assertThat(upscales.observe(compute(Cu.ofWhole(2), Cu.ofWhole(2)), T0.plusMillis(40)))
                .as("confirmed once").isEmpty();
        assertThat(upscales.size()).isZero();
    }

    @Test
    void aSecondGrantBeforeTheFirstIsConfirmedKeepsTheFirstStartAndTheLargerTarget() {
        upscales.granting("a-1", Cu.ofWhole(2), PRESSURE, T0);
        upscales.granting("a-1", Cu.ofWhole(3), ScalingDecision.Reason.CPU, T0.plusMillis(5));

        assertThat(upscales.observe(compute(Cu.ofWhole(3), Cu.ofWhole(2)), T0.plusMillis(10))).isEmpty();
        assertThat(upscales.observe(compute(Cu.ofWhole(3), Cu.ofWhole(3)), T0.plusMillis(30)))
                .contains(new UnconfirmedUpscales.Confirmed(PRESSURE, Duration.ofMillis(30)));
    }

    @Test
    void aGrantThatWasNotWrittenLeavesWhatWasThereBefore() {
        UnconfirmedUpscales.Upscale none = upscales.granting("a-1", Cu.ofWhole(2), PRESSURE, T0);
        upscales.undo("a-1", none);
        assertThat(upscales.size()).isZero();

        upscales.granting("a-1", Cu.ofWhole(2), PRESSURE, T0);
        UnconfirmedUpscales.Upscale first = upscales.granting("a-1", Cu.ofWhole(4), PRESSURE, T0.plusMillis(1));
        upscales.undo("a-1", first);
        assertThat(upscales.observe(compute(Cu.ofWhole(2), Cu.ofWhole(2)), T0.plusMillis(9)))
                .contains(new UnconfirmedUpscales.Confirmed(PRESSURE, Duration.ofMillis(9)));
    }

    @Test
    void dropsAnUpscaleThatADownscaleOvertookWithoutTimingIt() {
        upscales.granting("a-1", Cu.ofWhole(2), PRESSURE, T0);

        assertThat(upscales.observe(compute(Cu.ofWhole(1), Cu.ofWhole(1)), T0.plusSeconds(1))).isEmpty();
        assertThat(upscales.size()).isZero();
        assertThat(upscales.observe(compute(Cu.ofWhole(2), Cu.ofWhole(2)), T0.plusSeconds(2))).isEmpty();
    }

    @Test
    void forgetsADeletedCompute() {
        upscales.granting("a-1", Cu.ofWhole(2), PRESSURE, T0);
        upscales.forget("a-1");

        assertThat(upscales.observe(compute(Cu.ofWhole(2), Cu.ofWhole(2)), T0.plusMillis(5))).isEmpty();
    }

    private static Compute compute(Cu granted, Cu applied) {
        return new Compute(ObjectMeta.named("a-1"), new Compute.Spec("a", "h1", granted, Compute.Role.primary, 1, null),
                new Compute.Status(Compute.Phase.Running, applied, null, true, List.of()));
    }
}
