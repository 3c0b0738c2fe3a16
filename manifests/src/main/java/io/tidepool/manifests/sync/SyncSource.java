package io.tidepool.manifests.sync;

import io.tidepool.api.resource.ApplySet;

/** A sync's terms in the apply set's: its source, and the outcomes it records itself. */
public final class SyncSource {
    private SyncSource() {
    }

    public static ApplySet.Source of(SourceRef ref) {
        return new ApplySet.Source(ref.repo(), ref.branch(), ref.path(), ref.commit());
    }

    /** A failed fetch is {@code Failed}; a commit without a manifest set at its path is {@code Invalid}. */
    public static ApplySet.Outcome outcome(AttemptOutcome outcome) {
        return switch (outcome) {
            case FETCH_FAILED -> ApplySet.Outcome.Failed;
            case INVALID -> ApplySet.Outcome.Invalid;
            default -> throw new IllegalArgumentException("an apply records " + outcome + " itself");
        };
    }
}
