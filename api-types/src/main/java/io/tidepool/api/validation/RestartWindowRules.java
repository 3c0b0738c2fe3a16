package io.tidepool.api.validation;

import io.tidepool.api.codec.FieldLocator;
import io.tidepool.api.codec.ManifestDocument;
import io.tidepool.api.codec.ManifestError;
import io.tidepool.api.quantity.DurationFormat;
import io.tidepool.api.quantity.RestartWindow;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.format.TextStyle;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * When planned restarts may happen. The day, time and zone formats are checked as the manifest is
 * read; what remains is that the window is complete and no longer than a day, so that windows of
 * consecutive days never overlap.
 */
final class RestartWindowRules {
    static final Duration MAX_DURATION = Duration.ofHours(24);
    private static final String FIELD = "spec.restartWindow";

    private RestartWindowRules() {
    }

    static void check(ManifestDocument document, RestartWindow window, List<ManifestError> errors) {
        String days = FieldLocator.field(FIELD, "days");
        if (window.days().isEmpty()) {
            errors.add(document.error(days, "expected at least one day, like [Sat, Sun], got none"));
        }
        Set<DayOfWeek> seen = EnumSet.noneOf(DayOfWeek.class);
        for (int i = 0; i < window.days().size(); i++) {
            DayOfWeek day = window.days().get(i);
            if (!seen.add(day)) {
                errors.add(document.error(FieldLocator.element(days, i), "expected each day once, got "
                        + day.getDisplayName(TextStyle.SHORT, Locale.ENGLISH)
                        + " again"));
            }
        }
        if (window.start() == null) {
            errors.add(document.error(FieldLocator.field(FIELD, "start"), "missing start: expected a time of day HH:MM, like \"02:00\""));
        }
        String duration = FieldLocator.field(FIELD, "duration");
        if (window.duration() == null) {
            errors.add(document.error(duration, "missing duration: expected how long the window stays open, like 2h"));
        } else if (window.duration().isZero() || window.duration().compareTo(MAX_DURATION) > 0) {
            errors.add(document.error(duration, "expected a duration above 0s and at most "
                    + DurationFormat.format(MAX_DURATION) + ", got " + DurationFormat.format(window.duration())));
        }
    }
}
