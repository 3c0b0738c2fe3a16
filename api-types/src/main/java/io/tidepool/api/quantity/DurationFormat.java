package io.tidepool.api.quantity;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as operators write them: {@code 30s}, {@code 5m}, {@code 2h}, {@code 1h30m}, {@code 250ms}, {@code 7d}. */
public final class DurationFormat {
    private static final Pattern PART = Pattern.compile("([0-9]+)(ms|d|h|m|s)");

    private DurationFormat() {
    }

    public static Duration parse(String text) {
        String trimmed = text.trim();
        Matcher m = PART.matcher(trimmed);
        Duration total = Duration.ZERO;
        int at = 0;
        while (at < trimmed.length() && m.find(at) && m.start() == at) {
            long amount;
            try {
                amount = Long.parseLong(m.group(1));
                total = total.plus(switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(amount);
                    case "s" -> Duration.ofSeconds(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    case "h" -> Duration.ofHours(amount);
                    default -> Duration.ofDays(amount);
                });
            } catch (NumberFormatException | ArithmeticException e) {
                throw new IllegalArgumentException("duration too large: \"" + text + "\"");
            }
            at = m.end();
        }
        if (at == 0 || at != trimmed.length()) {
            throw new IllegalArgumentException(
                    "expected a duration like 30s, 5m, 2h or 1h30m, got \"" + text + "\"");
        }
        return total;
    }

    /** The shortest text that {@link #parse} turns back into the same duration. */
    public static String format(Duration duration) {
        if (duration.isZero()) {
            return "0s";
        }
        if (duration.isNegative() || duration.getNano() % 1_000_000 != 0) {
            throw new IllegalArgumentException("cannot write " + duration + " as a duration");
        }
        StringBuilder out = new StringBuilder();
        long millis = duration.toMillis();
        long[] sizes = {86_400_000L, 3_600_000L, 60_000L, 1_000L, 1L};
        String[] units = {"d", "h", "m", "s", "ms"};
        for (int i = 0; i < sizes.length; i++) {
            if (millis >= sizes[i]) {
                out.append(millis / sizes[i]).append(units[i]);
                millis %= sizes[i];
            }
        }
        return out.toString();
    }
}
