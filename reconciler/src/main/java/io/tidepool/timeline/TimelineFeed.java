package io.tidepool.timeline;

import io.tidepool.api.agent.ComputeMetrics;
import io.tidepool.api.quantity.Cu;
import io.tidepool.api.resource.Compute;
import io.tidepool.api.resource.Condition;
import io.tidepool.api.resource.Endpoint;
import io.tidepool.api.resource.Migration;
import io.tidepool.control.Conditions;
import io.tidepool.event.EventNote;
import io.tidepool.switchover.Switchover;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * What the fleet's changes and the agents' samples add to the endpoints' timelines: the primary's
 * allocated CU, the autoscaler's decisions (an endpoint's {@code status.lastDecision}), migrations,
 * planned restarts, suspends and resumes, each also told as an event of its endpoint. Its methods
 * are the fleet cache's handlers: they compare an object before and after a change and write what
 * the change says, nothing else.
 */
public final class TimelineFeed {
    private static final String RESTART_STARTING = "restart: replacement starting";
    private static final String RESTART_SWITCHED = "restart: switched";
    private static final String RESTART_GONE = "restart: replacement gone";
    private final Timelines timelines;
    private final InstantSource clock;
    private final Function<String, Optional<String>> restartExplanation;
    private final Consumer<EventNote> events;

    /**
     * @param restartExplanation the restart controller's latest word on an endpoint, if any
     * @param events             hears each marker as an event of its endpoint, for describe and the console
     */
    public TimelineFeed(Timelines timelines, InstantSource clock, Function<String, Optional<String>> restartExplanation,
                        Consumer<EventNote> events) {
        this.timelines = timelines;
        this.clock = clock;
        this.restartExplanation = restartExplanation;
        this.events = events;
    }

    /** A sample of a compute; only the endpoint's primary draws its load and memory. */
    public void sampled(Compute compute, ComputeMetrics metrics) {
        if (compute.spec().role() == Compute.Role.primary && compute.spec().endpoint() != null) {
            timelines.sample(compute.spec().endpoint(), metrics);
        }
    }

    public void endpointChanged(Endpoint before, Endpoint after) {
        if (after == null) {
            timelines.forget(before.name());
            return;
        }
        Endpoint.Decision decision = after.status() == null ? null : after.status().lastDecision();
        Endpoint.Decision previous = before == null || before.status() == null ? null : before.status().lastDecision();
        if (decision != null && decision.at() != null && !decision.equals(previous)) {
            mark(after.name(), Marker.scaling(decision.at(), decision.fromCu(), decision.toCu(), decision.explanation()),
                    scalingReason(decision), false);
        }
        boolean wasSuspended = phaseOf(before) == Endpoint.Phase.Suspended;
        boolean isSuspended = phaseOf(after) == Endpoint.Phase.Suspended;
        if (isSuspended && !wasSuspended && before != null) {
            Instant now = clock.instant();
            timelines.allocated(after.name(), now, Cu.ZERO);
            mark(after.name(), Marker.of(now, Marker.Type.suspend, "suspended", suspendReason(after)), "Suspended", false);
        } else if (wasSuspended && !isSuspended) {
            mark(after.name(), Marker.of(clock.instant(), Marker.Type.resume, "resumed",
                    "a client asked for it, and placement started it again"), "Resumed", false);
        }
    }

    public void computeChanged(Compute before, Compute after) {
        Compute compute = after != null ? after : before;
        String endpoint = compute.spec().endpoint();
        if (endpoint == null) {
            return;
        }
        Instant now = clock.instant();
        Cu allocated = allocated(after);
        if (!Objects.equals(allocated, allocated(before))) {
            // A fenced primary's removal is a switch, not a loss: the promoted replacement says its size.
            if (allocated != null) {
                timelines.allocated(endpoint, now, allocated);
            } else if (before.spec().role() == Compute.Role.primary && after == null) {
                timelines.allocated(endpoint, now, Cu.ZERO);
            }
        }
        restartMarker(before, after, now).ifPresent(marker -> mark(endpoint, marker, restartReason(marker),
                marker.title().equals(RESTART_GONE)));
    }

    public void migrationChanged(Migration before, Migration after) {
        if (after == null || after.spec().endpoint() == null) {
            return;
        }
        Migration.Spec spec = after.spec();
        Migration.Phase phase = after.status() == null ? null : after.status().phase();
        Migration.Phase previous = before == null || before.status() == null ? null : before.status().phase();
        String route = spec.sourceHost() + " -> " + spec.targetHost();
        if (before == null) {
            Instant at = after.status() != null && after.status().startedAt() != null ? after.status().startedAt() : clock.instant();
            mark(spec.endpoint(), Marker.of(at, Marker.Type.migration, "migration " + route, spec.reason()), "MigrationStarted",
                    false);
        }
        if (phase != previous && (phase == Migration.Phase.Succeeded || phase == Migration.Phase.Failed)) {
            Instant at = after.status().finishedAt() != null ? after.status().finishedAt() : clock.instant();
            boolean succeeded = phase == Migration.Phase.Succeeded;
            mark(spec.endpoint(), Marker.of(at, Marker.Type.migration,
                    (succeeded ? "moved " : "migration failed ") + route,
                    succeeded ? took(after.status()) : after.status().message()),
                    succeeded ? "Migrated" : "MigrationFailed", !succeeded);
        }
    }

    private Optional<Marker> restartMarker(Compute before, Compute after, Instant now) {
        boolean wasRestartReplacement = before != null && isRestartReplacement(before);
        if (after != null && isRestartReplacement(after) && !wasRestartReplacement) {
            String why = restartExplanation.apply(after.spec().endpoint()).orElse("");
            return Optional.of(Marker.of(now, Marker.Type.restart, RESTART_STARTING,
                    after.name() + " on " + after.spec().host() + " with Postgres " + version(after)
                            + (why.isEmpty() ? "" : "; " + why)));
        }
        if (wasRestartReplacement && after != null && after.spec().role() == Compute.Role.primary) {
            return Optional.of(Marker.of(now, Marker.Type.restart, RESTART_SWITCHED,
                    after.name() + " serves now, with Postgres " + version(after)));
        }
        if (wasRestartReplacement && after == null) {
            return Optional.of(Marker.of(now, Marker.Type.restart, RESTART_GONE,
                    before.name() + " was removed before the switch; the primary serves on"));
        }
        return Optional.empty();
    }

    /** Draws the marker, and tells it as an event of the endpoint. */
    private void mark(String endpoint, Marker marker, String reason, boolean warning) {
        timelines.mark(endpoint, marker);
        String message = marker.explanation().startsWith(marker.title()) ? marker.explanation()
                : marker.title() + (marker.explanation().isEmpty() ? "" : ": " + marker.explanation());
        String involved = "Endpoint/" + endpoint;
        events.accept(warning ? EventNote.warning(involved, reason, message, marker.at())
                : EventNote.normal(involved, reason, message, marker.at()));
    }

    private static String scalingReason(Endpoint.Decision decision) {
        if (decision.fromCu() == null || decision.toCu() == null) {
            return "Scaled";
        }
        int direction = decision.toCu().compareTo(decision.fromCu());
        return direction > 0 ? "Upscaled" : direction < 0 ? "Downscaled" : "SizeKept";
    }

    private static String restartReason(Marker marker) {
        return switch (marker.title()) {
            case RESTART_STARTING -> "RestartStarted";
            case RESTART_SWITCHED -> "Restarted";
            default -> "RestartAbandoned";
        };
    }

    private static boolean isRestartReplacement(Compute compute) {
        return compute.spec().role() == Compute.Role.replacement
                && Switchover.Purpose.of(compute).orElse(null) == Switchover.Purpose.restart;
    }

    /** What a primary holds of its host: what it was granted, or what it still runs with if that is more. */
    private static Cu allocated(Compute compute) {
        if (compute == null || compute.spec().role() != Compute.Role.primary || compute.spec().cu() == null) {
            return null;
        }
        Cu observed = compute.status() == null ? null : compute.status().cu();
        return observed == null ? compute.spec().cu() : compute.spec().cu().max(observed);
    }

    private static String suspendReason(Endpoint endpoint) {
        return endpoint.status().conditions().stream()
                .filter(c -> Conditions.SUSPENDED.equals(c.type()))
                .map(Condition::message)
                .filter(Objects::nonNull)
                .findFirst()
                .orElse("idle for its suspendAfter");
    }

    private static String took(Migration.Status status) {
        if (status.startedAt() == null || status.finishedAt() == null) {
            return "the replacement took over";
        }
        Duration took = Duration.between(status.startedAt(), status.finishedAt());
        return "the replacement took over after " + took.toMillis() / 1000.0 + " s";
    }

    private static Endpoint.Phase phaseOf(Endpoint endpoint) {
        return endpoint == null || endpoint.status() == null ? null : endpoint.status().phase();
    }

    private static String version(Compute compute) {
        return compute.spec().postgres() == null ? "?" : compute.spec().postgres().version();
    }
}
