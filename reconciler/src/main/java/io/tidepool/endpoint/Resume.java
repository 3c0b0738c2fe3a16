package io.tidepool.endpoint;

import io.tidepool.api.resource.Endpoint;
import io.tidepool.api.resource.Kind;
import io.tidepool.registry.ResourceRegistry;
import io.tidepool.registry.ResourceTxn;
import io.tidepool.store.TxnResult;
import java.time.Instant;
import java.util.Optional;

/**
 * Writes a {@link ResumeRequest} to the store, for the API's resume call and the endpoint proxy's
 * first connection alike: with a compare on the endpoint's revision, read again after a lost
 * compare, a bounded number of times. Asking twice is harmless.
 */
public final class Resume {
    private static final int ATTEMPTS = 5;

    /** Why the endpoint was not asked to resume. */
    public static final class RefusedException extends RuntimeException {
        private final boolean missing;

        RefusedException(String message, boolean missing) {
            super(message);
            this.missing = missing;
        }

        /** Whether the endpoint does not exist (else it is not suspended, or kept changing). */
        public boolean missing() {
            return missing;
        }
    }

    private Resume() {
    }

    /**
     * Asks the suspended endpoint to resume; returns it as it is now.
     *
     * @throws RefusedException when it does not exist, is not suspended, or kept changing
     */
    public static Endpoint ask(ResourceRegistry registry, String name, Instant now) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Optional<Endpoint> found = registry.get(Endpoint.class, Kind.ENDPOINT, name);
            if (found.isEmpty()) {
                throw new RefusedException("Endpoint/" + name + " not found", true);
            }
            Endpoint live = found.get();
            ResumeRequest.Outcome outcome = ResumeRequest.ask(live, now);
            if (outcome instanceof ResumeRequest.NotSuspended refused) {
                throw new RefusedException(refused.explanation(), false);
            }
            if (outcome instanceof ResumeRequest.AlreadyRequested) {
                return live;
            }
            Endpoint next = ((ResumeRequest.Requested) outcome).next();
            TxnResult written = registry.store().txn(new ResourceTxn().update(live, next).toTxn());
            if (written.succeeded()) {
                return next.withMetadata(next.metadata().withRevisions(written.revision(), live.metadata().createRevision()));
            }
        }
        throw new RefusedException("Endpoint/" + name + " kept changing while it was being resumed; try again", false);
    }
}
