package io.tidepool.standby;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class StandbyFitTest {

    @Test
    void aReplacementWithFewerConnectionsThanThePrimaryCannotFollowIt() {
        assertThat(StandbyFit.refusal(Map.of("max_connections", 100L), Map.of("max_connections", "40")))
                .hasValueSatisfying(why -> assertThat(why).contains("max_connections goes down from 100 to 40"));
    }

    @Test
    void aReplacementThatDropsARaisedSettingFallsToTheDefaultAndCannotFollow() {
        assertThat(StandbyFit.refusal(Map.of("max_connections", 200L), Map.of())).isPresent();
    }

    @Test
    void otherSettingsChangeFreely() {
        assertThat(StandbyFit.refusal(Map.of("max_connections", 100L), Map.of("work_mem", "64MB", "max_connections", "100")))
                .isEmpty();
    }

    @Property
    void followsExactlyWhenNotLower(@ForAll @LongRange(min = 1, max = 1000) long primary, @ForAll @LongRange(min = 1, max = 1000) long own) {
        assertThat(StandbyFit.refusal(Map.of("max_connections", primary), Map.of("max_connections", Long.toString(own))).isEmpty())
                .isEqualTo(own >= primary);
    }
}
