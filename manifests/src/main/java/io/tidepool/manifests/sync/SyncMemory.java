package io.tidepool.manifests.sync;

import java.util.Optional;

/**
 * What a sync carries from one round to the next: the commit in force (as the apply set records it
 * when the sync starts) and the head that last failed through its own fault.
 */
public record SyncMemory(Optional<String> appliedCommit, Optional<FailedCommit> failed) {
    public static final SyncMemory EMPTY = new SyncMemory(Optional.empty(), Optional.empty());

    public static SyncMemory applied(String commit) {
        return new SyncMemory(Optional.of(commit), Optional.empty());
    }
}
