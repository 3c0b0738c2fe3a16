package io.tidepool.manifests.apply;

import java.util.List;

/**
 * The answer of {@code GET /api/v1/applysets/NAME/drift}: the objects of an apply set whose
 * declared part (labels, annotations, spec; never status) is no longer what the set last applied.
 *
 * @param revision the store revision the check read at
 * @param objects  how many objects the set has
 */
public record DriftReport(String set, long revision, int objects, List<Drifted> drifted) {
    public DriftReport {
        drifted = drifted == null ? List.of() : List.copyOf(drifted);
    }

    /** @param reason {@code changed} or {@code deleted} */
    public record Drifted(String kind, String name, String reason) {
        public String ref() {
            return kind + "/" + name;
        }
    }
}
