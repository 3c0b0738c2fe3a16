package io.tidepool.manifests.sync;

import java.util.List;
import java.util.Map;

/**
 * How one apply of a commit ended.
 *
 * @param counts objects per action ({@code created}, {@code configured}, {@code unchanged},
 *               {@code pruned}, {@code kept}), in that order
 * @param errors each error as {@code file:line:col: object: field: message}
 */
public record ApplyAttempt(AttemptOutcome outcome, Map<String, Integer> counts, String message, List<String> errors) {
    public ApplyAttempt {
        counts = Map.copyOf(counts);
        errors = List.copyOf(errors);
        message = message == null ? "" : message;
    }

    public static ApplyAttempt failed(AttemptOutcome outcome, String message, List<String> errors) {
        return new ApplyAttempt(outcome, Map.of(), message, errors);
    }
}
