package io.tidepool.endpoint;

import io.tidepool.api.resource.Endpoint;
import java.time.Instant;

/**
 * Someone asks a suspended endpoint to start again (the API's resume call now, the proxy's first
 * connection later): pure. Asking sets {@code status.resumeRequestedAt}, which placement reads as
 * "this endpoint needs a compute again"; placing it clears the request. Asking twice changes nothing.
 */
public final class ResumeRequest {

    /** What asking does. */
    public sealed interface Outcome permits Requested, AlreadyRequested, NotSuspended {
    }

    /** Write {@code next} in place of the endpoint as read. */
    public record Requested(Endpoint next) implements Outcome {
    }

    /** Asked before and not yet placed: nothing to write. */
    public record AlreadyRequested(Instant since) implements Outcome {
    }

    /** Only a suspended endpoint can be resumed. */
    public record NotSuspended(String explanation) implements Outcome {
    }

    private ResumeRequest() {
    }

    public static Outcome ask(Endpoint endpoint, Instant now) {
        Endpoint.Status s = endpoint.status();
        if (s == null || s.phase() != Endpoint.Phase.Suspended) {
            String phase = s == null || s.phase() == null ? Endpoint.Phase.Pending.name() : s.phase().name();
            return new NotSuspended(endpoint.ref() + " is not suspended (phase " + phase + "): there is nothing to resume");
        }
        if (s.resumeRequestedAt() != null) {
            return new AlreadyRequested(s.resumeRequestedAt());
        }
        return new Requested(endpoint.withStatus(new Endpoint.Status(s.phase(), s.host(), s.cu(), s.address(),
                s.conditions(), s.lastDecision(), s.compute(), s.epoch(), now)));
    }
}
