package io.tidepool.guest.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class LoadAverageTest {
    private static final Instant T0 = Instant.parse("2026-01-05T00:00:00Z");

    @Test
    void aSteadyLoadIsItsOwnAverage() {
        LoadAverage load = new LoadAverage();
        for (int s = 0; s < 300; s++) {
            load.add(T0.plusSeconds(s), 3);
        }
        assertThat(load.value()).isEqualTo(3 * (1 - Math.exp(-299 / 60.0)), within(1e-9)).isCloseTo(3.0, within(0.03));
    }

    @Test
    void startsAtZeroSoThatAStartUpCrowdDoesNotLookLikeLoad() {
        LoadAverage load = new LoadAverage();
        assertThat(load.add(T0, 12)).isZero();
        assertThat(load.add(T0.plusSeconds(1), 0)).isZero();
    }

    @Test
    void aLoadThatStopsDecaysToAThirdAfterAMinute() {
        LoadAverage load = new LoadAverage();
        load.add(T0, 0);
        for (int s = 1; s <= 600; s++) {
            load.add(T0.plusSeconds(s), 2);
        }
        double busy = load.value();
        for (int s = 601; s <= 660; s++) {
            load.add(T0.plusSeconds(s), 0);
        }
        assertThat(load.value()).isEqualTo(busy * Math.exp(-1), within(1e-9));
    }

    @Property
    void samplingEveryOrEveryOtherSecondGivesTheSameAverage(@ForAll @IntRange(min = 0, max = 16) int runnable) {
        LoadAverage often = new LoadAverage();
        LoadAverage rarely = new LoadAverage();
        often.add(T0, 0);
        rarely.add(T0, 0);
        for (int s = 1; s <= 120; s++) {
            often.add(T0.plusSeconds(s), runnable);
            if (s % 2 == 0) {
                rarely.add(T0.plusSeconds(s), runnable);
            }
        }
        assertThat(rarely.value()).isEqualTo(often.value(), within(1e-9));
    }

    @Test
    void aSampleOutOfOrderChangesNothing() {
        LoadAverage load = new LoadAverage();
        load.add(T0, 0);
        double after = load.add(T0.plusSeconds(10), 4);
        assertThat(after).isPositive();
        assertThat(load.add(T0.plusSeconds(5), 0)).isEqualTo(after);
    }
}
