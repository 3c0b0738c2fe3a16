package io.tidepool.endpoint;

import io.tidepool.api.resource.Compute;
import io.tidepool.api.resource.Condition;
import io.tidepool.api.resource.Endpoint;
import io.tidepool.control.Conditions;
import io.tidepool.restart.RestartWindows;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether the fleet has done what an endpoint's spec asks: placed, its primary running the
 * Postgres the spec names, at a size within its bounds. What {@code apply --wait} waits for. Pure:
 * the endpoint and its primary compute as stored, and {@code now}, in; a verdict out.
 */
public final class Readiness {

    /**
     * {@code Ready}, {@code Suspended} (idle, as its spec allows), {@code WaitingForWindow} (a
     * restart that waits for the endpoint's window: settled until then) and {@code Gone} (a pruned
     * endpoint that no longer exists) are settled; {@code Pending} and {@code Failed} are not.
     */
    public enum State {
        Ready, Suspended, WaitingForWindow, Gone, Pending, Failed;

        public boolean settled() {
            return this != Pending && this != Failed;
        }
    }

    public record Verdict(State state, String message) {
    }

    private Readiness() {
    }

    /**
     * @param endpoint the endpoint as stored, null when it is not (yet)
     * @param primary  its primary compute (named by its status), null when it has none
     */
    public static Verdict of(Endpoint endpoint, Compute primary, Instant now) {
        if (endpoint == null) {
            return new Verdict(State.Pending, "not stored");
        }
        Endpoint.Status status = endpoint.status();
        if (status == null || status.phase() == null || status.phase() == Endpoint.Phase.Pending) {
            return new Verdict(State.Pending, condition(endpoint, Conditions.SCHEDULED)
                    .filter(c -> c.status() == Condition.Status.False)
                    .map(c -> "not placed: " + c.message()).orElse("not placed yet"));
        }
        if (status.phase() == Endpoint.Phase.Suspended) {
            return new Verdict(State.Suspended, "suspended after being idle; the next connection resumes it");
        }
        if (status.phase() == Endpoint.Phase.Failed) {
            return new Verdict(State.Failed, "failed" + failure(primary));
        }
        if (primary == null || primary.status() == null || primary.status().phase() != Compute.Phase.Running) {
            String phase = primary == null || primary.status() == null ? "Pending" : primary.status().phase().toString();
            return new Verdict(State.Pending, "starting on " + status.host() + " (" + phase + ")" + failure(primary));
        }
        Optional<Condition> restart = condition(endpoint, Conditions.RESTART_PENDING)
                .filter(c -> c.status() == Condition.Status.True);
        if (restart.isPresent() && "WaitingForWindow".equals(restart.get().reason())) {
            Instant opens = RestartWindows.nextOpening(endpoint.spec().restartWindow(), now);
            return new Verdict(State.WaitingForWindow, restart.get().message() + "; waits for its window, which opens at " + opens);
        }
        if (restart.isPresent()) {
            return new Verdict(State.Pending, restart.get().message() + " (" + restart.get().reason() + ")");
        }
        if (!Objects.equals(primary.spec().postgres(), endpoint.spec().postgres())) {
            return new Verdict(State.Pending, "runs other Postgres settings than its spec: a restart is being planned");
        }
        if (status.phase() == Endpoint.Phase.Migrating || status.phase() == Endpoint.Phase.Restarting) {
            return new Verdict(State.Pending, status.phase().toString().toLowerCase(java.util.Locale.ROOT) + " off " + status.host());
        }
        Endpoint.ComputeRange bounds = endpoint.spec().compute();
        var cu = primary.status().cu();
        if (cu == null || cu.compareTo(bounds.minCu()) < 0 || cu.compareTo(bounds.maxCu()) > 0) {
            return new Verdict(State.Pending, "resizing: runs " + cu + " CU, its bounds are " + bounds.minCu() + " to "
                    + bounds.maxCu() + " CU");
        }
        return new Verdict(State.Ready, "running on " + status.host() + " with " + cu + " CU");
    }

    /** A pruned endpoint: settled once it is gone. */
    public static Verdict ofPruned(Endpoint endpoint) {
        return endpoint == null ? new Verdict(State.Gone, "deleted") : new Verdict(State.Pending, "being deleted");
    }

    private static Optional<Condition> condition(Endpoint endpoint, String type) {
        if (endpoint.status() == null) {
            return Optional.empty();
        }
        return endpoint.status().conditions().stream().filter(c -> c.type().equals(type)).findFirst();
    }

    private static String failure(Compute compute) {
        if (compute == null || compute.status() == null) {
            return "";
        }
        return compute.status().conditions().stream().filter(c -> c.status() == Condition.Status.True)
                .map(c -> ": " + c.message()).findFirst().orElse("");
    }
}
