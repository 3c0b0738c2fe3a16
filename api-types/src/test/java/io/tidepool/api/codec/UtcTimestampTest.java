package io.tidepool.api.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DateTimeException;
import java.time.Instant;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class UtcTimestampTest {

    @Property(tries = 2_000)
    void readsEveryInstantAsItsOwnTextSays(@ForAll @LongRange(min = 0, max = 253_402_300_799L) long epochSecond,
                                           @ForAll @IntRange(min = 0, max = 999_999_999) int nanos,
                                           @ForAll @IntRange(min = 0, max = 3) int precision) {
        int truncated = switch (precision) {
            case 0 -> 0;
            case 1 -> nanos / 1_000_000 * 1_000_000;
            case 2 -> nanos / 1_000 * 1_000;
            default -> nanos;
        };
        Instant instant = Instant.ofEpochSecond(epochSecond, truncated);

        assertThat(UtcTimestamp.parse(instant.toString())).isEqualTo(instant);
    }

    @Property(tries = 2_000)
    void agreesWithInstantParseOnNearlyCanonicalText(@ForAll("nearlyCanonical") String text) {
        Instant expected;
        try {
            expected = Instant.parse(text);
        } catch (DateTimeException e) {
            assertThatThrownBy(() -> UtcTimestamp.parse(text)).isInstanceOf(DateTimeException.class);
            return;
        }
        assertThat(UtcTimestamp.parse(text)).isEqualTo(expected);
    }

    @Test
    void leavesLeapSecondsAndOffsetsToTheGeneralParser() {
        assertThat(UtcTimestamp.parse("2016-12-31T23:59:60Z")).isEqualTo(Instant.parse("2016-12-31T23:59:60Z"));
        assertThat(UtcTimestamp.parse("2024-05-01T10:00:00+02:00")).isEqualTo(Instant.parse("2024-05-01T08:00:00Z"));
        assertThatThrownBy(() -> UtcTimestamp.parse("2023-02-29T10:00:00Z")).isInstanceOf(DateTimeException.class);
    }

    /** Canonical shapes with fields drawn a little beyond their ranges, and a fraction of 0 to 10 digits. */
    @Provide
    Arbitrary<String> nearlyCanonical() {
        Arbitrary<String> date = Combinators.combine(Arbitraries.integers().between(0, 9999),
                Arbitraries.integers().between(0, 13), Arbitraries.integers().between(0, 32))
                .as((y, m, d) -> String.format("%04d-%02d-%02d", y, m, d));
        Arbitrary<String> time = Combinators.combine(Arbitraries.integers().between(0, 24),
                Arbitraries.integers().between(0, 60), Arbitraries.integers().between(0, 61))
                .as((h, m, s) -> String.format("%02d:%02d:%02d", h, m, s));
        Arbitrary<String> fraction = Arbitraries.strings().numeric().ofMinLength(0).ofMaxLength(10)
                .map(f -> f.isEmpty() ? "" : "." + f);
        return Combinators.combine(date, time, fraction).as((d, t, f) -> d + "T" + t + f + "Z");
    }
}
