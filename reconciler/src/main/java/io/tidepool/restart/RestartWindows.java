package io.tidepool.restart;

import io.tidepool.api.quantity.RestartWindow;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.Objects;

/**
 * When a weekly {@link RestartWindow} is open. A null window is always open (the endpoint set none).
 *
 * <p>Across daylight-saving changes: the window opens at its start time on the wall clock of its
 * time zone and then lasts its duration in elapsed time, so a 2h window gives 2h on the days the
 * clocks change too. A start time that the spring change skips opens later by the gap (02:30 in
 * Europe/Berlin on the last Sunday of March opens at 03:30 CEST), and one that the autumn change
 * repeats opens at its first occurrence, as {@link ZonedDateTime#of} resolves them. Occurrences that
 * touch or overlap (a 24h window on consecutive days) make one open stretch.
 */
public final class RestartWindows {
    /** Enough merges of touching occurrences to go round a week twice: beyond that the window never closes. */
    private static final int MAX_MERGES = 16;

    private RestartWindows() {
    }

    public static boolean isOpen(RestartWindow window, Instant now) {
        return window == null || openUntil(checked(window), now) != null;
    }

    /** The first instant at or after {@code now} when the window is open: {@code now} itself when it is. */
    public static Instant nextOpening(RestartWindow window, Instant now) {
        if (isOpen(window, now)) {
            return now;
        }
        LocalDate today = now.atZone(window.timeZone()).toLocalDate();
        // Not open now, so every occurrence that started before now has ended: the next start is the answer.
        for (LocalDate day = today.minusDays(1); !day.isAfter(today.plusDays(8)); day = day.plusDays(1)) {
            if (window.days().contains(day.getDayOfWeek())) {
                Instant start = start(window, day);
                if (start.isAfter(now)) {
                    return start;
                }
            }
        }
        throw new IllegalStateException("a window open on " + window.days() + " never opens within a week of " + now);
    }

    /**
     * When the open stretch containing {@code now} ends; {@link Instant#MAX} when it does not end
     * within about two weeks (no window, or one open around the clock).
     *
     * @throws IllegalArgumentException when the window is closed at {@code now}
     */
    public static Instant closesAt(RestartWindow window, Instant now) {
        if (window == null) {
            return Instant.MAX;
        }
        Instant end = openUntil(checked(window), now);
        if (end == null) {
            throw new IllegalArgumentException("the restart window is closed at " + now);
        }
        for (int merges = 0; merges < MAX_MERGES; merges++) {
            Instant further = openUntil(window, end);
            if (further == null) {
                return end;
            }
            end = further;
        }
        return Instant.MAX;
    }

    /** The latest end of the occurrences open at {@code at}, or null when none is. */
    private static Instant openUntil(RestartWindow window, Instant at) {
        LocalDate today = at.atZone(window.timeZone()).toLocalDate();
        Instant latest = null;
        for (LocalDate day = today.minusDays(window.duration().toDays() + 2); !day.isAfter(today); day = day.plusDays(1)) {
            if (!window.days().contains(day.getDayOfWeek())) {
                continue;
            }
            Instant start = start(window, day);
            Instant end = start.plus(window.duration());
            if (!start.isAfter(at) && end.isAfter(at) && (latest == null || end.isAfter(latest))) {
                latest = end;
            }
        }
        return latest;
    }

    private static Instant start(RestartWindow window, LocalDate day) {
        return ZonedDateTime.of(day, window.start(), window.timeZone()).toInstant();
    }

    /** Validation refuses incomplete windows; a decision handed one anyway fails loudly, not silently never restarting. */
    private static RestartWindow checked(RestartWindow window) {
        Objects.requireNonNull(window.start(), "restart window without a start time");
        Duration duration = Objects.requireNonNull(window.duration(), "restart window without a duration");
        if (window.days().isEmpty() || duration.isZero() || duration.isNegative()) {
            throw new IllegalArgumentException("incomplete restart window: days " + window.days() + ", duration " + duration);
        }
        return window;
    }
}
