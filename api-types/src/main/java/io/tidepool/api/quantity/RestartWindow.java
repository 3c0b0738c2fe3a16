package io.tidepool.api.quantity;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;

/**
 * A weekly window in which planned restarts may happen: on each of {@code days}, from {@code start}
 * for {@code duration}, in {@code timeZone}. A window may run past midnight into the next day.
 */
public record RestartWindow(List<DayOfWeek> days, LocalTime start, Duration duration, ZoneId timeZone) {
    public RestartWindow {
        days = List.copyOf(days);
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(timeZone, "timeZone");
    }
}
