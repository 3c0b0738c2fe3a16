package io.tidepool.sim.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class FastForwardTest {
    private static final Instant ORIGIN = Instant.parse("2026-01-05T09:00:00Z");
    private static final Diurnal DAY = new Diurnal(WorkloadTest.LOW, WorkloadTest.HIGH, Duration.ofHours(21));

    @Test
    void playsTheWorkloadSpeedTimesFasterFromItsOrigin() {
        FastForward fast = new FastForward(DAY, ORIGIN, 12);

        assertThat(fast.at(ORIGIN)).isEqualTo(DAY.at(ORIGIN));
        assertThat(fast.at(ORIGIN.plus(Duration.ofMinutes(10)))).isEqualTo(DAY.at(ORIGIN.plus(Duration.ofHours(2))));
        assertThat(fast.at(ORIGIN.plus(Duration.ofHours(1)))).as("the peak, 12 workload hours on")
                .isEqualTo(WorkloadTest.HIGH);
    }

    @Test
    void refusesToPlaySlowerThanTheClock() {
        assertThatThrownBy(() -> new FastForward(DAY, ORIGIN, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 1");
    }
}
