package io.tidepool.manifests.apply;

import io.tidepool.api.resource.ApplySet;
import java.util.List;

/**
 * The body of {@code POST /api/v1/applysets/NAME/attempts}: an attempt of a git sync that never
 * reached an apply, for the set's status to show. Only {@code Failed} (the repository could not be
 * read) and {@code Invalid} (the commit holds no manifest set at its path) are taken: an apply
 * records its other outcomes itself.
 *
 * @param errors each as {@code path: message}
 */
public record FailedAttempt(ApplySet.Source source, ApplySet.Outcome outcome, String message, List<String> errors) {
    public static final int MAX_MESSAGE_CHARS = 4096;
    public static final int MAX_ERRORS = 100;

    public FailedAttempt {
        errors = errors == null ? List.of() : List.copyOf(errors);
    }
}
