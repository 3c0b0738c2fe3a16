package io.tidepool.manifests.apply;

import io.tidepool.api.codec.ManifestError;
import java.util.List;

/**
 * What an apply did (or, in a dry run, would do): one result per object, in manifest order, and
 * the store revision it was decided at. When {@code errors} is not empty nothing was applied.
 */
public record ApplyResponse(long revision, boolean dryRun, List<ObjectResult> results, List<ManifestError> errors) {
    public ApplyResponse {
        results = results == null ? List.of() : List.copyOf(results);
        errors = errors == null ? List.of() : List.copyOf(errors);
    }

    /** @param diff unified diff of the declared fields; empty when unchanged */
    public record ObjectResult(String kind, String name, String action, String diff) {
        public String ref() {
            return kind + "/" + name;
        }
    }
}
