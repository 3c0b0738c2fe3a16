package io.tidepool.api.codec;

import io.tidepool.api.quantity.Bytes;
import io.tidepool.api.quantity.Cu;
import io.tidepool.api.quantity.DurationFormat;
import io.tidepool.api.quantity.MilliCpu;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * How a value type is written as a single scalar, shared by the YAML manifests and the JSON form so
 * that both read and write exactly the same text. Parsing always starts from the written text,
 * never from a double, and failures say what was expected and what was found.
 *
 * @param numeric whether the canonical text is written as a number (unquoted in JSON) when it is one
 */
record ScalarForm<T>(Class<T> type, String expected, Function<String, T> parser, Function<T, String> formatter,
                     boolean numeric) {
    private static final Pattern NUMBER = Pattern.compile("-?[0-9]+(\\.[0-9]+)?");
    private static final Pattern HOURS_MINUTES = Pattern.compile("([01][0-9]|2[0-3]):([0-5][0-9])");
    private static final Map<String, DayOfWeek> DAY_NAMES = dayNames();
    private static final List<String> ZONE_IDS = zoneIds();

    static final List<ScalarForm<?>> ALL = List.of(
            new ScalarForm<>(Cu.class, "a CU in steps of 0.25 like 0.25, 1 or 2.5", Cu::parse, Cu::toString, true),
            new ScalarForm<>(MilliCpu.class, "CPUs like 16, 0.5 or 500m", MilliCpu::parse, MilliCpu::toString, true),
            new ScalarForm<>(Bytes.class, "memory like 512Mi or 64Gi", Bytes::parse, Bytes::toString, false),
            new ScalarForm<>(Duration.class, "a duration like 30s, 5m, 2h or 1h30m",
                    DurationFormat::parse, DurationFormat::format, false),
            new ScalarForm<>(DayOfWeek.class, "a day: Mon, Tue, Wed, Thu, Fri, Sat or Sun",
                    ScalarForm::parseDay, ScalarForm::formatDay, false),
            new ScalarForm<>(LocalTime.class, "a time of day HH:MM from 00:00 to 23:59",
                    ScalarForm::parseTime, ScalarForm::formatTime, false),
            new ScalarForm<>(ZoneId.class, "a time zone like UTC or Europe/Berlin",
                    ScalarForm::parseZone, ZoneId::getId, false),
            new ScalarForm<>(Instant.class, "a UTC timestamp like 2024-05-01T10:00:00Z",
                    ScalarForm::parseInstant, Instant::toString, false));

    static Optional<ScalarForm<?>> of(Class<?> type) {
        for (ScalarForm<?> form : ALL) {
            if (form.type == type) {
                return Optional.of(form);
            }
        }
        return Optional.empty();
    }

    T parse(String text) {
        return parser.apply(text);
    }

    String format(Object value) {
        return formatter.apply(type.cast(value));
    }

    /** Whether {@code text}, as this form formats it, goes out as a number rather than a string. */
    boolean writesAsNumber(String text) {
        return numeric && NUMBER.matcher(text).matches();
    }

    private static DayOfWeek parseDay(String text) {
        DayOfWeek day = DAY_NAMES.get(text);
        if (day != null && text.length() == 3) {
            return day;
        }
        // Full names and other spellings are close misses: say which short name was meant.
        String meant = Suggestion.closest(text, DAY_NAMES.keySet()).map(DAY_NAMES::get).map(ScalarForm::formatDay)
                .map(s -> "; did you mean " + s + "?").orElse("");
        throw new IllegalArgumentException("expected a day Mon, Tue, Wed, Thu, Fri, Sat or Sun, got \"" + text + "\"" + meant);
    }

    private static String formatDay(DayOfWeek day) {
        return day.getDisplayName(TextStyle.SHORT, Locale.ENGLISH);
    }

    /** HH:MM, or with seconds as {@link #formatTime} writes them so that no value is silently rounded. */
    private static LocalTime parseTime(String text) {
        var m = HOURS_MINUTES.matcher(text);
        if (m.matches()) {
            return LocalTime.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
        }
        if (text.length() > 5 && HOURS_MINUTES.matcher(text.substring(0, 5)).matches()) {
            try {
                return LocalTime.parse(text);
            } catch (DateTimeException e) {
                // fall through to the message about what a time looks like
            }
        }
        throw new IllegalArgumentException("expected a time of day HH:MM from 00:00 to 23:59, got \"" + text + "\"");
    }

    /** Minutes are what manifests use; seconds appear only if code set them, and are kept rather than rounded. */
    private static String formatTime(LocalTime time) {
        return time.getSecond() == 0 && time.getNano() == 0
                ? String.format(Locale.ROOT, "%02d:%02d", time.getHour(), time.getMinute())
                : time.toString();
    }

    private static ZoneId parseZone(String text) {
        try {
            return ZoneId.of(text);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("expected a time zone like UTC or Europe/Berlin, got \"" + text + "\""
                    + Suggestion.didYouMean(text, ZONE_IDS));
        }
    }

    private static Instant parseInstant(String text) {
        try {
            return UtcTimestamp.parse(text);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("expected a UTC timestamp like 2024-05-01T10:00:00Z, got \"" + text + "\"");
        }
    }

    private static Map<String, DayOfWeek> dayNames() {
        Map<String, DayOfWeek> names = new LinkedHashMap<>();
        for (DayOfWeek day : DayOfWeek.values()) {
            names.put(day.getDisplayName(TextStyle.SHORT, Locale.ENGLISH), day);
        }
        for (DayOfWeek day : DayOfWeek.values()) {
            names.put(day.getDisplayName(TextStyle.FULL, Locale.ENGLISH), day);
        }
        return names;
    }

    private static List<String> zoneIds() {
        List<String> ids = new ArrayList<>(List.of("UTC"));
        ids.addAll(new TreeSet<>(ZoneId.getAvailableZoneIds()));
        return List.copyOf(ids);
    }
}
