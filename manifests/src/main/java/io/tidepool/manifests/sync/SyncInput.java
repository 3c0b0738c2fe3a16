package io.tidepool.manifests.sync;

import java.time.Instant;
import java.util.Optional;

/**
 * Everything one round's decision depends on.
 *
 * @param head           the branch head just fetched; empty when the fetch failed
 * @param driftedObjects objects of the set whose declared part differs from what the set applied, or that are gone
 */
public record SyncInput(SyncMemory memory, Optional<String> head, int driftedObjects, boolean selfHeal, Instant now) {
    public SyncInput {
        if (driftedObjects < 0) {
            throw new IllegalArgumentException("drifted objects cannot be negative: " + driftedObjects);
        }
    }
}
