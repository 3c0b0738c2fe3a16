package io.tidepool.manifests.apply;

import io.tidepool.api.codec.ManifestError;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What an apply did (or, in a dry run, would do): one result per object, in manifest order and
 * then the pruned ones, and the store revision it was decided at (for a dry run, the revision the
 * live objects were read at). When {@code errors} is not empty nothing was applied.
 *
 * @param set the apply set, or null when none was named
 */
public record ApplyResponse(long revision, boolean dryRun, String set, List<ObjectResult> results,
                            List<ManifestError> errors) {
    private static final List<String> ACTIONS = List.of("created", "configured", "unchanged", "pruned", "kept");

    public ApplyResponse {
        results = results == null ? List.of() : List.copyOf(results);
        errors = errors == null ? List.of() : List.copyOf(errors);
    }

    public ApplyResponse(long revision, boolean dryRun, List<ObjectResult> results, List<ManifestError> errors) {
        this(revision, dryRun, null, results, errors);
    }

    /** {@code 2 created, 1 pruned}: how many objects each action touched, in a fixed order; "no objects" for none. */
    public static String totals(List<ObjectResult> results) {
        Map<String, Long> counts = results.stream()
                .collect(Collectors.groupingBy(ObjectResult::action, LinkedHashMap::new, Collectors.counting()));
        if (counts.isEmpty()) {
            return "no objects";
        }
        return ACTIONS.stream()
                .filter(counts::containsKey)
                .map(action -> counts.get(action) + " " + action)
                .collect(Collectors.joining(", "));
    }

    /**
     * @param action created, configured, unchanged, pruned or kept
     * @param diff   unified diff of the declared fields; empty when unchanged or kept
     */
    public record ObjectResult(String kind, String name, String action, String diff) {
        public String ref() {
            return kind + "/" + name;
        }
    }
}
