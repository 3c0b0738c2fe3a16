package io.tidepool.guest;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidepool.api.quantity.Cu;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class DownscaleCheckTest {
    private static final long GIB = 1L << 30;

    @Test
    void aDownscaleThatLeavesTheMarginFreeIsAgreed() {
        assertThat(DownscaleCheck.refusal(GIB / 2, Cu.ofQuarters(2))).isEmpty();
    }

    @Test
    void aDownscaleIntoTheMarginIsRefusedWithTheNumbers() {
        assertThat(DownscaleCheck.refusal((long) (1.9 * GIB), Cu.ofQuarters(2)))
                .hasValue("1.90 GiB in use does not fit 0.5 CU with a 10% margin");
    }

    @Property
    void whatIsAgreedAlwaysLeavesTheMarginFree(@ForAll @LongRange(min = 0, max = 64 * GIB) long used,
                                               @ForAll @IntRange(min = 1, max = 64) int quarters) {
        Cu target = Cu.ofQuarters(quarters);
        if (DownscaleCheck.refusal(used, target).isEmpty()) {
            assertThat((double) used).isLessThanOrEqualTo(target.memory().value() * (1 - DownscaleCheck.MARGIN));
        }
    }
}
