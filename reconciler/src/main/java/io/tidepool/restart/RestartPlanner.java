package io.tidepool.restart;

import io.tidepool.api.quantity.DurationFormat;
import io.tidepool.api.quantity.RestartWindow;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * The planned-restart decision, pure. A restart switches the endpoint to a replacement compute
 * that was started {@code prewarmLead} before the window opens, so it is warm (the primary's hot
 * pages loaded) when the switch may happen; throughput after the switch then matches throughput
 * before it. The switch happens only inside the window; a replacement that misses its window is
 * retired and the next window is tried. Starting a replacement is what takes a cell restart slot.
 *
 * <p>Steps, given the replacement's state:
 * <ul>
 *   <li>none: wait until {@code nextOpening - prewarmLead}, then start one if the cell has a slot;
 *       in an open window start at once, unless it closes before the replacement could be warm;</li>
 *   <li>starting or warm, window open: switch once warm, else wait for it;</li>
 *   <li>starting or warm, window closed: wait for the window, or retire it if a window opened and
 *       closed since it started;</li>
 *   <li>failing (its host cannot run it): once it has failed for {@link #failingGrace}, through
 *       its driver's own retries, retire it; a fresh one, placed anew, then starts by the rules for
 *       none, so later in the same window when the window still leaves time to warm it;</li>
 *   <li>no restart needed any more (the spec was reverted): retire a replacement that runs.</li>
 * </ul>
 */
public final class RestartPlanner {
    /** How soon to look again when waiting on something other than the clock: a warm replacement, a cell slot. */
    public static final Duration RECHECK = Duration.ofMinutes(1);
    /**
     * How long a first replacement may fail before it is given up for a fresh one: its host's
     * driver retries a failed start after 1, 2, 4, 8, 16 and 32 s, so what two minutes did not cure
     * is taken to be the replacement's host or data, which a fresh one on the best host leaves
     * behind. Each replacement given up before doubles it, up to {@link #LONGEST_FAILING_GRACE}.
     */
    public static final Duration FAILING_GRACE = Duration.ofMinutes(2);
    public static final Duration LONGEST_FAILING_GRACE = Duration.ofMinutes(64);
    private static final DateTimeFormatter DAY_TIME = DateTimeFormatter.ofPattern("EEE HH:mm", Locale.ENGLISH);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm", Locale.ENGLISH);

    private RestartPlanner() {
    }

    public static RestartDecision decide(RestartInput input, Instant now) {
        RestartNeed need = input.need();
        RestartInput.Replacement replacement = input.replacement();
        if (!need.needsRestart()) {
            if (replacement.state() != RestartInput.ReplacementState.NONE) {
                return new RestartDecision.RetireReplacement("no restart needed any more (the spec changed back): "
                        + "retiring the replacement started " + at(input.window(), replacement.startedAt()));
            }
            return new RestartDecision.Nothing(need.reloadReason().map(r -> "no restart needed; reload for " + r)
                    .orElse("no restart needed"));
        }
        String head = "restart for " + need.restartReason().orElseThrow() + ": ";
        return replacement.state() == RestartInput.ReplacementState.NONE
                ? withoutReplacement(input, now, head)
                : withReplacement(input, now, head);
    }

    private static RestartDecision withoutReplacement(RestartInput input, Instant now, String head) {
        RestartWindow window = input.window();
        Duration lead = input.prewarmLead();
        if (RestartWindows.isOpen(window, now)) {
            Instant closes = RestartWindows.closesAt(window, now);
            if (!closes.equals(Instant.MAX) && now.plus(lead).isAfter(closes)) {
                Instant opening = RestartWindows.nextOpening(window, closes);
                Instant start = later(opening.minus(lead), closes);
                return new RestartDecision.Wait(start, head + "window closes at " + at(window, closes)
                        + ", too soon to warm a replacement (" + text(lead) + "); next window opens "
                        + at(window, opening) + ", replacement starts at " + at(window, start));
            }
            String open = openText(window, closes);
            return startIfAllowed(input, now, head + open, "starting a replacement");
        }
        Instant opening = RestartWindows.nextOpening(window, now);
        Instant start = opening.minus(lead);
        String opens = "window opens " + at(window, opening) + " (in " + until(now, opening) + ")";
        if (now.isBefore(start)) {
            return new RestartDecision.Wait(start, head + opens + "; replacement starts at " + at(window, start, opening));
        }
        return startIfAllowed(input, now, head + opens, "starting a replacement to be warm by then");
    }

    private static RestartDecision withReplacement(RestartInput input, Instant now, String head) {
        if (input.replacement().state() == RestartInput.ReplacementState.FAILING) {
            return failing(input, now, head);
        }
        RestartWindow window = input.window();
        boolean warm = input.replacement().state() == RestartInput.ReplacementState.WARM;
        if (RestartWindows.isOpen(window, now)) {
            Instant closes = RestartWindows.closesAt(window, now);
            String open = openText(window, closes);
            if (warm) {
                return new RestartDecision.Switch(head + "replacement warm, " + open + "; switching to it");
            }
            return new RestartDecision.Wait(earlier(now.plus(RECHECK), closes), head + "replacement warming, " + open);
        }
        Instant firstOpening = RestartWindows.nextOpening(window, input.replacement().startedAt());
        Instant opening = RestartWindows.nextOpening(window, now);
        if (firstOpening.isBefore(now)) {
            return new RestartDecision.RetireReplacement(head + "the window that opened " + at(window, firstOpening)
                    + " closed before the switch; retiring the replacement, next window opens " + at(window, opening));
        }
        return new RestartDecision.Wait(opening, head + "replacement " + (warm ? "warm" : "warming") + ", window opens "
                + at(window, opening) + " (in " + until(now, opening) + ")");
    }

    private static RestartDecision failing(RestartInput input, Instant now, String head) {
        RestartWindow window = input.window();
        RestartInput.Replacement replacement = input.replacement();
        Instant giveUp = replacement.failingSince().plus(failingGrace(replacement.givenUpBefore()));
        String failing = head + "replacement failing since " + at(window, replacement.failingSince()) + " ("
                + replacement.failure() + ")";
        if (!now.isBefore(giveUp)) {
            return new RestartDecision.RetireReplacement(failing + "; retiring it, " + freshStart(input, now));
        }
        if (RestartWindows.isOpen(window, now)) {
            return new RestartDecision.Wait(earlier(now.plus(RECHECK), giveUp), failing + ", " + openText(window,
                    RestartWindows.closesAt(window, now)) + "; giving it up at " + at(window, giveUp));
        }
        Instant opening = RestartWindows.nextOpening(window, now);
        if (RestartWindows.nextOpening(window, replacement.startedAt()).isBefore(now)) {
            return new RestartDecision.RetireReplacement(failing + "; its window closed before the switch, retiring it,"
                    + " next window opens " + at(window, opening));
        }
        return new RestartDecision.Wait(earlier(giveUp, opening), failing + ", window opens " + at(window, opening)
                + "; giving it up at " + at(window, giveUp));
    }

    /** How long a replacement may fail when {@code givenUpBefore} were given up before it. */
    public static Duration failingGrace(int givenUpBefore) {
        return givenUpBefore >= 5 ? LONGEST_FAILING_GRACE : FAILING_GRACE.multipliedBy(1L << givenUpBefore);
    }

    /** When a fresh replacement starts after this one is retired: what the rules for none will say. */
    private static String freshStart(RestartInput input, Instant now) {
        RestartWindow window = input.window();
        if (RestartWindows.isOpen(window, now)) {
            Instant closes = RestartWindows.closesAt(window, now);
            if (closes.equals(Instant.MAX) || !now.plus(input.prewarmLead()).isAfter(closes)) {
                return "a fresh one starts now";
            }
            Instant opening = RestartWindows.nextOpening(window, closes);
            return "too late in this window for a fresh one; it starts at " + at(window, later(opening.minus(input.prewarmLead()), closes));
        }
        Instant opening = RestartWindows.nextOpening(window, now);
        return "a fresh one starts at " + at(window, later(opening.minus(input.prewarmLead()), now));
    }

    private static String openText(RestartWindow window, Instant closes) {
        if (window == null) {
            return "no restart window";
        }
        // Instant.MAX cannot be formatted in a zone: a window whose occurrences touch all week long has no end.
        return closes.equals(Instant.MAX) ? "window open around the clock" : "window open until " + at(window, closes);
    }

    private static RestartDecision startIfAllowed(RestartInput input, Instant now, String situation, String action) {
        if (input.restartsInFlightInCell() >= input.maxRestartsInCell()) {
            return new RestartDecision.Wait(now.plus(RECHECK), situation + "; the cell has " + input.restartsInFlightInCell()
                    + " of " + input.maxRestartsInCell() + " restarts in flight, waiting for a slot");
        }
        return new RestartDecision.StartReplacement(situation + "; " + action);
    }

    /** An instant as an operator reads it in the window's zone: "Sun 02:00 Europe/Berlin". */
    private static String at(RestartWindow window, Instant instant) {
        ZoneId zone = window == null ? RestartWindow.DEFAULT_TIME_ZONE : window.timeZone();
        return DAY_TIME.format(instant.atZone(zone)) + " " + zone.getId();
    }

    /** Just the time when it falls on the day of {@code reference}: "01:50", else "Sat 23:50". */
    private static String at(RestartWindow window, Instant instant, Instant reference) {
        ZonedDateTime local = instant.atZone(window.timeZone());
        boolean sameDay = local.toLocalDate().equals(reference.atZone(window.timeZone()).toLocalDate());
        return sameDay ? TIME.format(local) : DAY_TIME.format(local);
    }

    private static String until(Instant now, Instant then) {
        Duration left = Duration.between(now, then);
        return text(left.compareTo(Duration.ofMinutes(1)) >= 0 ? left.truncatedTo(ChronoUnit.MINUTES) : left);
    }

    private static String text(Duration duration) {
        return DurationFormat.format(duration.truncatedTo(ChronoUnit.SECONDS));
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static Instant earlier(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
