package io.tidepool.restart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidepool.api.quantity.RestartWindow;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class RestartWindowsTest {
    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final RestartWindow WEEKENDS = window(List.of(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY), "02:00", "PT2H", "UTC");

    @Test
    void isOpenFromItsStartForItsDurationOnItsDays() {
        assertThat(RestartWindows.isOpen(WEEKENDS, utc("2024-01-13T01:59"))).isFalse();
        assertThat(RestartWindows.isOpen(WEEKENDS, utc("2024-01-13T02:00"))).isTrue();
        assertThat(RestartWindows.isOpen(WEEKENDS, utc("2024-01-14T03:59"))).isTrue();
        assertThat(RestartWindows.isOpen(WEEKENDS, utc("2024-01-14T04:00"))).isFalse();
        assertThat(RestartWindows.isOpen(WEEKENDS, utc("2024-01-15T02:30"))).isFalse();
        assertThat(RestartWindows.nextOpening(WEEKENDS, utc("2024-01-14T04:00"))).isEqualTo(utc("2024-01-20T02:00"));
        assertThat(RestartWindows.closesAt(WEEKENDS, utc("2024-01-13T03:00"))).isEqualTo(utc("2024-01-13T04:00"));
    }

    @Test
    void aWindowPastMidnightStaysOpenIntoTheNextDay() {
        RestartWindow fridayNight = window(List.of(DayOfWeek.FRIDAY), "23:00", "PT3H", "UTC");

        assertThat(RestartWindows.isOpen(fridayNight, utc("2024-01-13T01:30"))).isTrue();
        assertThat(RestartWindows.closesAt(fridayNight, utc("2024-01-13T01:30"))).isEqualTo(utc("2024-01-13T02:00"));
        assertThat(RestartWindows.isOpen(fridayNight, utc("2024-01-13T02:00"))).isFalse();
    }

    @Test
    void aSundayWindowRunsIntoMondayAndOpensAgainNextSunday() {
        RestartWindow sundayNight = window(List.of(DayOfWeek.SUNDAY), "22:00", "PT4H", "UTC");

        assertThat(RestartWindows.isOpen(sundayNight, utc("2024-01-15T01:00"))).isTrue();
        assertThat(RestartWindows.nextOpening(sundayNight, utc("2024-01-15T02:00"))).isEqualTo(utc("2024-01-21T22:00"));
        assertThat(RestartWindows.nextOpening(sundayNight, utc("2024-01-14T21:00"))).isEqualTo(utc("2024-01-14T22:00"));
    }

    @Test
    void aStartSkippedBySpringDaylightSavingOpensLaterByTheGap() {
        // Berlin, Sunday 31 March 2024: 02:00 CET jumps to 03:00 CEST, so 02:30 does not exist.
        RestartWindow sunday0230 = window(List.of(DayOfWeek.SUNDAY), "02:30", "PT1H", "Europe/Berlin");

        Instant opening = RestartWindows.nextOpening(sunday0230, utc("2024-03-30T12:00"));

        assertThat(opening).isEqualTo(berlin("2024-03-31T03:30"));
        assertThat(opening).isEqualTo(utc("2024-03-31T01:30"));
        assertThat(RestartWindows.closesAt(sunday0230, opening)).isEqualTo(utc("2024-03-31T02:30"));
    }

    @Test
    void aWindowAcrossTheSpringChangeLastsItsDurationInElapsedTime() {
        RestartWindow sunday0100 = window(List.of(DayOfWeek.SUNDAY), "01:00", "PT2H", "Europe/Berlin");

        assertThat(RestartWindows.isOpen(sunday0100, berlin("2024-03-31T03:59"))).isTrue();
        assertThat(RestartWindows.closesAt(sunday0100, berlin("2024-03-31T01:00"))).isEqualTo(berlin("2024-03-31T04:00"));
    }

    @Test
    void aStartRepeatedByAutumnDaylightSavingOpensOnlyAtItsFirstOccurrence() {
        // Berlin, Sunday 27 October 2024: 03:00 CEST falls back to 02:00 CET, so 02:30 happens twice.
        RestartWindow sunday0230 = window(List.of(DayOfWeek.SUNDAY), "02:30", "PT30M", "Europe/Berlin");

        assertThat(RestartWindows.nextOpening(sunday0230, utc("2024-10-26T12:00"))).isEqualTo(utc("2024-10-27T00:30"));
        assertThat(RestartWindows.closesAt(sunday0230, utc("2024-10-27T00:30"))).isEqualTo(utc("2024-10-27T01:00"));
        assertThat(RestartWindows.isOpen(sunday0230, utc("2024-10-27T01:30"))).isFalse();
        assertThat(RestartWindows.nextOpening(sunday0230, utc("2024-10-27T01:30"))).isEqualTo(utc("2024-11-03T01:30"));
    }

    @Test
    void touchingWindowsMakeOneOpenStretchUntilTheLongAutumnDayLeavesAGap() {
        RestartWindow everyDay = window(List.of(DayOfWeek.values()), "00:00", "PT24H", "Europe/Berlin");
        RestartWindow everyDayUtc = window(List.of(DayOfWeek.values()), "00:00", "PT24H", "UTC");

        // The 25-hour day of 27 October: the window opened at 00:00 CEST closes at 23:00 CET.
        assertThat(RestartWindows.closesAt(everyDay, utc("2024-10-26T12:00"))).isEqualTo(berlin("2024-10-27T23:00"));
        assertThat(RestartWindows.isOpen(everyDay, berlin("2024-10-27T23:30"))).isFalse();
        assertThat(RestartWindows.closesAt(everyDayUtc, utc("2024-10-26T12:00"))).isEqualTo(Instant.MAX);
    }

    @Test
    void noWindowIsAlwaysOpenAndAnIncompleteOneIsRefused() {
        assertThat(RestartWindows.isOpen(null, utc("2024-01-13T12:00"))).isTrue();
        assertThat(RestartWindows.nextOpening(null, utc("2024-01-13T12:00"))).isEqualTo(utc("2024-01-13T12:00"));
        assertThat(RestartWindows.closesAt(null, utc("2024-01-13T12:00"))).isEqualTo(Instant.MAX);
        assertThatThrownBy(() -> RestartWindows.isOpen(new RestartWindow(List.of(), LocalTime.NOON, Duration.ofHours(1), null),
                utc("2024-01-13T12:00"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RestartWindows.closesAt(WEEKENDS, utc("2024-01-15T12:00")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Property(tries = 1000)
    void theNextOpeningIsOpenAndNotBeforeNow(@ForAll("windows") RestartWindow window, @ForAll("instants") Instant now) {
        Instant opening = RestartWindows.nextOpening(window, now);

        assertThat(opening).isAfterOrEqualTo(now);
        assertThat(RestartWindows.isOpen(window, opening)).isTrue();
        assertThat(opening.equals(now)).isEqualTo(RestartWindows.isOpen(window, now));
    }

    @Property(tries = 25)
    void nothingBetweenNowAndTheNextOpeningIsOpen(@ForAll("windows") RestartWindow window, @ForAll("instants") Instant now) {
        Instant opening = RestartWindows.nextOpening(window, now);

        for (Instant t = now; t.isBefore(opening); t = t.plus(Duration.ofMinutes(1))) {
            assertThat(RestartWindows.isOpen(window, t)).as("open at %s, before the next opening %s", t, opening).isFalse();
        }
    }

    @Property(tries = 25)
    void anOpenWindowStaysOpenUntilItCloses(@ForAll("windows") RestartWindow window, @ForAll("instants") Instant now) {
        Instant opening = RestartWindows.nextOpening(window, now);
        Instant closes = RestartWindows.closesAt(window, opening);

        if (!closes.equals(Instant.MAX)) {
            assertThat(RestartWindows.isOpen(window, closes)).isFalse();
            for (Instant t = opening; t.isBefore(closes); t = t.plus(Duration.ofMinutes(1))) {
                assertThat(RestartWindows.isOpen(window, t)).as("closed at %s, before %s", t, closes).isTrue();
            }
        }
    }

    @Provide
    static Arbitrary<RestartWindow> windows() {
        Arbitrary<List<DayOfWeek>> days = Arbitraries.subsetOf(DayOfWeek.values()).ofMinSize(1)
                .map(set -> new ArrayList<>(EnumSet.copyOf(set)));
        Arbitrary<LocalTime> starts = Arbitraries.integers().between(0, 24 * 60 - 1).map(m -> LocalTime.of(m / 60, m % 60));
        Arbitrary<Duration> durations = Arbitraries.integers().between(15, 24 * 60).map(Duration::ofMinutes);
        Arbitrary<ZoneId> zones = Arbitraries.of("UTC", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe",
                "Asia/Kolkata", "America/Santiago").map(ZoneId::of);
        return Combinators.combine(days, starts, durations, zones).as(RestartWindow::new);
    }

    /** Any instant of four years, or one close to a daylight-saving change in Europe or America. */
    @Provide
    static Arbitrary<Instant> instants() {
        Arbitrary<Instant> any = Arbitraries.longs().between(utc("2023-01-01T00:00").getEpochSecond(),
                utc("2026-12-31T00:00").getEpochSecond()).map(Instant::ofEpochSecond);
        Arbitrary<Instant> nearChange = Combinators.combine(
                Arbitraries.of(utc("2024-03-31T01:00"), utc("2024-10-27T01:00"), utc("2024-03-10T07:00"),
                        utc("2024-11-03T06:00")),
                Arbitraries.longs().between(-2 * 86_400, 2 * 86_400)).as(Instant::plusSeconds);
        return Arbitraries.oneOf(any, nearChange);
    }

    static RestartWindow window(List<DayOfWeek> days, String start, String duration, String zone) {
        return new RestartWindow(days, LocalTime.parse(start), Duration.parse(duration), ZoneId.of(zone));
    }

    static Instant utc(String localDateTime) {
        return LocalDateTime.parse(localDateTime).toInstant(ZoneOffset.UTC);
    }

    static Instant berlin(String localDateTime) {
        return LocalDateTime.parse(localDateTime).atZone(BERLIN).toInstant();
    }
}
