package io.tidepool.api.quantity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class DurationFormatTest {

    @Test
    void parsesOneOrMoreUnits() {
        assertThat(DurationFormat.parse("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(DurationFormat.parse("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(DurationFormat.parse("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(DurationFormat.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(DurationFormat.parse("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(DurationFormat.parse("7d")).isEqualTo(Duration.ofDays(7));
    }

    @Test
    void writesTheShortestTextInDescendingUnits() {
        assertThat(DurationFormat.format(Duration.ofMinutes(90))).isEqualTo("1h30m");
        assertThat(DurationFormat.format(Duration.ofSeconds(30))).isEqualTo("30s");
        assertThat(DurationFormat.format(Duration.ofHours(48))).isEqualTo("2d");
        assertThat(DurationFormat.format(Duration.ZERO)).isEqualTo("0s");
    }

    @Test
    void rejectsDurationsWithoutAUnitOrWithSpaces() {
        assertThatThrownBy(() -> DurationFormat.parse("5"))
                .hasMessage("expected a duration like 30s, 5m, 2h or 1h30m, got \"5\"");
        assertThatThrownBy(() -> DurationFormat.parse("5 minutes")).hasMessageContaining("got \"5 minutes\"");
        assertThatThrownBy(() -> DurationFormat.parse("")).hasMessageContaining("got \"\"");
        assertThatThrownBy(() -> DurationFormat.parse("-5m")).hasMessageContaining("got \"-5m\"");
    }

    @Test
    void refusesToWriteWhatItCouldNotReadBack() {
        assertThatThrownBy(() -> DurationFormat.format(Duration.ofNanos(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DurationFormat.format(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Property
    void parsingWhatWasWrittenGivesTheSameDuration(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE / 2) long millis) {
        Duration duration = Duration.ofMillis(millis);

        assertThat(DurationFormat.parse(DurationFormat.format(duration))).isEqualTo(duration);
    }
}
