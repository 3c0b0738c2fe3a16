package io.tidepool.manifests.sync;

/** How an attempt to apply a commit ended, as the sync tells outcomes apart. */
public enum AttemptOutcome {
    /** Something was created, changed or pruned. */
    APPLIED,
    /** The set already matched the commit. */
    UNCHANGED,
    /** The commit's manifests are invalid (or cannot be read as a manifest set): nothing was applied. */
    INVALID,
    /** The server refused the set as a whole (an empty set, say): nothing was applied. */
    REFUSED,
    /** The objects changed while the set was applied: nothing was applied; the next round tries again. */
    CONFLICT,
    /** The server or its store could not be reached: nothing was applied; the next round tries again. */
    UNAVAILABLE,
    /** The repository could not be read (unreachable, no such branch, no git): the next round tries again. */
    FETCH_FAILED;

    public boolean inForce() {
        return this == APPLIED || this == UNCHANGED;
    }

    /** Whether the commit itself is at fault, so trying it again soon would fail the same way. */
    public boolean faultOfTheCommit() {
        return this == INVALID || this == REFUSED;
    }
}
