package io.tidepool.proxy;

import java.time.Duration;
import java.time.Instant;

/**
 * What to do with a new client connection to an endpoint, given the endpoint's state now: pure.
 * The connection asks again whenever the state changes (or after {@link Hold#recheckAfter}), until
 * it is routed or refused. A hold is bounded: past its bound the client gets an ErrorResponse that
 * says what it waited for.
 */
public final class Admission {

    /** How long a new connection may wait, by what it waits for. */
    public record Bounds(Duration resume, Duration switchover) {
        public static final Bounds DEFAULT = new Bounds(Duration.ofSeconds(30), Duration.ofSeconds(10));
    }

    public sealed interface Decision permits Route, Wake, Hold, Refuse {
    }

    /** Connect to the primary's Postgres. */
    public record Route(EndpointState.Backend backend) implements Decision {
    }

    /** Ask for the suspended endpoint to resume, then hold. */
    public record Wake() implements Decision {
    }

    /** Wait for the endpoint's state to change, at most {@code recheckAfter}. */
    public record Hold(Duration recheckAfter, String waitingFor) implements Decision {
    }

    /** Answer the client with this error and close. */
    public record Refuse(ErrorResponse error) implements Decision {
    }

    private Admission() {
    }

    /**
     * @param state     the endpoint's state, null when the proxy knows no such endpoint (any more)
     * @param heldSince when the connection arrived
     * @param woke      whether this connection asked for a resume already
     */
    public static Decision decide(String endpoint, EndpointState state, Instant heldSince, boolean woke,
                                  Bounds bounds, Instant now) {
        if (state == null) {
            return new Refuse(new ErrorResponse(ErrorResponse.CONNECTION_FAILURE,
                    "endpoint " + endpoint + " does not exist (any more)"));
        }
        if (state.failure() != null) {
            return new Refuse(new ErrorResponse(ErrorResponse.CONNECTION_FAILURE,
                    "endpoint " + endpoint + " has failed: " + state.failure()));
        }
        if (state.simulated()) {
            return new Refuse(new ErrorResponse(ErrorResponse.FEATURE_NOT_SUPPORTED, "endpoint " + endpoint
                    + " runs on a simulated compute (sim driver): there is no Postgres to connect to"));
        }
        if (state.backend().isPresent()) {
            return new Route(state.backend().get());
        }
        if (state.suspended() && !woke && !state.resumeRequested()) {
            return new Wake();
        }
        boolean resuming = woke || state.suspended();
        Duration bound = state.switching() && !resuming ? bounds.switchover() : bounds.resume();
        String waitingFor = resuming ? "resume" : state.switching() ? "switch over to its new primary" : "start";
        Duration left = bound.minus(Duration.between(heldSince, now));
        if (left.isNegative() || left.isZero()) {
            return new Refuse(new ErrorResponse(ErrorResponse.CANNOT_CONNECT_NOW, "endpoint " + endpoint
                    + " did not " + waitingFor + " within " + shown(bound) + "; try again"));
        }
        return new Hold(left, waitingFor);
    }

    private static String shown(Duration bound) {
        return bound.toMillis() % 1000 == 0 ? bound.toSeconds() + " s" : bound.toMillis() + " ms";
    }
}
