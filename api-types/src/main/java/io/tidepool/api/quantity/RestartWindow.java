package io.tidepool.api.quantity;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;

/**
 * A weekly window in which planned restarts may happen: on each of {@code days}, from {@code start}
 * for {@code duration}, in {@code timeZone}. A window may run past midnight into the next day.
 *
 * <p>Missing parts are left for validation to report with their place in the manifest, so the
 * constructor only fills defaults: no days, and UTC when no time zone is given.
 */
public record RestartWindow(List<DayOfWeek> days, LocalTime start, Duration duration, ZoneId timeZone) {
    public static final ZoneId DEFAULT_TIME_ZONE = ZoneId.of("UTC");

    public RestartWindow {
        days = days == null ? List.of() : List.copyOf(days);
        timeZone = timeZone == null ? DEFAULT_TIME_ZONE : timeZone;
    }
}
