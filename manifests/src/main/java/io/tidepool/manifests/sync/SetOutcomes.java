package io.tidepool.manifests.sync;

import io.tidepool.api.resource.ApplySet;
import java.util.Optional;

/** A sync's outcomes in the apply set's terms: those it records itself, and which of two a 409 was. */
public final class SetOutcomes {
    private SetOutcomes() {
    }

    /** A failed fetch is {@code Failed}; a commit without a manifest set at its path is {@code Invalid}. */
    public static ApplySet.Outcome outcome(AttemptOutcome outcome) {
        return switch (outcome) {
            case FETCH_FAILED -> ApplySet.Outcome.Failed;
            case INVALID -> ApplySet.Outcome.Invalid;
            default -> throw new IllegalArgumentException("an apply records " + outcome + " itself");
        };
    }

    /**
     * A refusal and a lost race both end an apply with a conflict; the set's record says which it
     * was, since a refusal is recorded as its last attempt and a lost race is not.
     */
    public static AttemptOutcome refusedOrConflict(Optional<ApplySet> record, String message) {
        boolean refused = record.map(ApplySet::status).map(ApplySet.Status::lastAttempt)
                .filter(a -> a.outcome() == ApplySet.Outcome.Refused && message.equals(a.message())).isPresent();
        return refused ? AttemptOutcome.REFUSED : AttemptOutcome.CONFLICT;
    }
}
