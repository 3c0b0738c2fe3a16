package io.tidepool.manifests.sync;

import java.time.Instant;

/** What one round of a sync does, as {@link SyncPolicy} decides it. */
public sealed interface SyncDecision {

    /** Apply the manifests of this commit, with prune: a new head, or a failed one whose retry time came. */
    record Apply(String commit) implements SyncDecision {
    }

    /** Apply the last applied commit again, to put back what drifted from it (self-heal). */
    record Heal(String commit, int driftedObjects) implements SyncDecision {
    }

    /**
     * The head is a commit that failed (invalid manifests, or refused): leave it until its retry
     * time; the last applied commit stays in force.
     */
    record KeepPrevious(String failedCommit, Instant retryAt) implements SyncDecision {
    }

    /** Nothing to do: in sync, drift shown but not healed, or no head to compare with. */
    record Wait() implements SyncDecision {
    }
}
