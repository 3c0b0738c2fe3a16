package io.tidepool.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class EventRateTest {
    private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");

    /** Whatever the times, an object records at most its burst plus one per refill period that passed. */
    @Property
    void neverAllowsMoreThanTheBurstPlusOnePerRefill(@ForAll @Size(max = 200) List<@IntRange(min = 0, max = 20_000) Integer> gapsMillis,
                                                    @ForAll @IntRange(min = 1, max = 10) int burst) {
        EventRate rate = new EventRate(burst, Duration.ofSeconds(30));
        Instant at = T0;
        int allowed = 0;
        for (int gap : gapsMillis) {
            at = at.plusMillis(gap);
            if (rate.allow("Endpoint/shop", at)) {
                allowed++;
            }
        }
        long refills = Duration.between(T0, at).toMillis() / 30_000;
        assertThat(allowed).isLessThanOrEqualTo(burst + (int) refills);
        assertThat(allowed).isGreaterThanOrEqualTo(Math.min(burst, gapsMillis.size()));
    }
}
