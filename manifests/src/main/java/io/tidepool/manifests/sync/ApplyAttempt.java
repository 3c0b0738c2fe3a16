package io.tidepool.manifests.sync;

import io.tidepool.api.codec.ManifestError;
import io.tidepool.manifests.apply.ApplyResponse;
import java.util.LinkedHashMap;
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

    /** What an apply's answer says: invalid (with its errors), or applied when it created, changed or pruned anything. */
    public static ApplyAttempt of(ApplyResponse response) {
        if (!response.errors().isEmpty()) {
            List<String> errors = response.errors().stream().map(ManifestError::format).toList();
            return failed(AttemptOutcome.INVALID, errors.size() + (errors.size() == 1 ? " error" : " errors")
                    + " in the manifests; nothing was applied", errors);
        }
        Map<String, Integer> counts = new LinkedHashMap<>();
        response.results().forEach(r -> counts.merge(r.action(), 1, Integer::sum));
        boolean changed = counts.containsKey("created") || counts.containsKey("configured") || counts.containsKey("pruned");
        return new ApplyAttempt(changed ? AttemptOutcome.APPLIED : AttemptOutcome.UNCHANGED, counts,
                ApplyResponse.totals(response.results()), List.of());
    }
}
