package io.tidepool.manifests.sync;

import java.time.Instant;

/**
 * A commit that failed through its own fault, when, how often in a row, and when to try it again:
 * a server-side change (a cell created, say) can make it valid, but trying it every round would only
 * repeat the same error.
 */
public record FailedCommit(String commit, Instant at, int attempts, Instant retryAt) {
    public FailedCommit {
        if (attempts < 1 || retryAt.isBefore(at)) {
            throw new IllegalArgumentException("a failed commit was tried at least once, and is retried after: "
                    + attempts + ", " + at + ", " + retryAt);
        }
    }
}
