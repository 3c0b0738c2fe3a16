package io.tidepool.buffer;

import java.time.Instant;

/**
 * What a cell has seen of its provider lately: enough to back off while it fails and to say so.
 * A refused request and a failed outcome both count as failures; a provisioned host is a success.
 *
 * @param lastSuccess         when a host was last provisioned, or null if never
 * @param lastFailure         when a request was last refused or failed, or null if never
 * @param consecutiveFailures failures since the last success
 * @param lastFailureReason   what the provider said the last time it failed, or null
 */
public record ProviderHealth(Instant lastSuccess, Instant lastFailure, int consecutiveFailures, String lastFailureReason) {
    public static final ProviderHealth UNTRIED = new ProviderHealth(null, null, 0, null);

    public ProviderHealth {
        if (consecutiveFailures < 0) {
            throw new IllegalArgumentException("consecutive failures cannot be negative: " + consecutiveFailures);
        }
        if (consecutiveFailures > 0 && lastFailure == null) {
            throw new IllegalArgumentException("a provider that failed " + consecutiveFailures + " times needs the time it last failed");
        }
    }

    public boolean failing() {
        return consecutiveFailures > 0;
    }

    public ProviderHealth afterSuccess(Instant at) {
        return new ProviderHealth(at, lastFailure, 0, lastFailureReason);
    }

    public ProviderHealth afterFailure(Instant at, String reason) {
        return new ProviderHealth(lastSuccess, at, consecutiveFailures + 1, reason);
    }
}
