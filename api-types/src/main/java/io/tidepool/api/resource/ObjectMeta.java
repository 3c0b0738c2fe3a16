package io.tidepool.api.resource;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * Identity and bookkeeping of a resource. Manifests own {@code name}, {@code labels} and
 * {@code annotations}; the store sets {@code resourceVersion} (the key's modify revision),
 * {@code createRevision} and {@code creationTimestamp}.
 */
public record ObjectMeta(
        String name,
        Map<String, String> labels,
        Map<String, String> annotations,
        long resourceVersion,
        long createRevision,
        Instant creationTimestamp) {

    public ObjectMeta {
        labels = labels == null ? Map.of() : sortedCopy(labels);
        annotations = annotations == null ? Map.of() : sortedCopy(annotations);
    }

    public static ObjectMeta named(String name) {
        return new ObjectMeta(name, Map.of(), Map.of(), 0, 0, null);
    }

    public ObjectMeta withLabels(Map<String, String> newLabels) {
        return new ObjectMeta(name, newLabels, annotations, resourceVersion, createRevision, creationTimestamp);
    }

    public ObjectMeta withAnnotations(Map<String, String> newAnnotations) {
        return new ObjectMeta(name, labels, newAnnotations, resourceVersion, createRevision, creationTimestamp);
    }

    public ObjectMeta withRevisions(long newResourceVersion, long newCreateRevision) {
        return new ObjectMeta(name, labels, annotations, newResourceVersion, newCreateRevision, creationTimestamp);
    }

    public ObjectMeta withCreationTimestamp(Instant timestamp) {
        return new ObjectMeta(name, labels, annotations, resourceVersion, createRevision, timestamp);
    }

    /** Only what manifests own; two objects with equal declared metadata need no apply. */
    public ObjectMeta declaredOnly() {
        return new ObjectMeta(name, labels, annotations, 0, 0, null);
    }

    private static Map<String, String> sortedCopy(Map<String, String> map) {
        if (map.isEmpty()) {
            // Most objects have none, and every withX() comes through here: no new tree for nothing.
            return Map.of();
        }
        // Sorted so that encoding, diffs and equality never depend on the order a file used.
        return java.util.Collections.unmodifiableMap(new TreeMap<>(map));
    }
}
