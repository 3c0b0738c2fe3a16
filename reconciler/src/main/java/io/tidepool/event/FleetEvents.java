package io.tidepool.event;

import io.tidepool.api.resource.Condition;
import io.tidepool.api.resource.Endpoint;
import io.tidepool.api.resource.Host;
import io.tidepool.control.Conditions;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The events that conditions tell, besides what endpoints' timelines do: a host that became ready
 * or stopped heartbeating, an endpoint placed or found with no room. Fleet cache handlers: each
 * compares a condition before and after a change, and tells it when it says something new.
 */
public final class FleetEvents {
    private final Consumer<EventNote> events;
    private final InstantSource clock;

    public FleetEvents(Consumer<EventNote> events, InstantSource clock) {
        this.events = events;
        this.clock = clock;
    }

    public void hostChanged(Host before, Host after) {
        if (after == null) {
            return;
        }
        changed(conditions(before), conditions(after), Conditions.READY).ifPresent(ready -> tell("Host/" + after.name(), ready,
                ready.status() == Condition.Status.True ? "HostReady" : "HostNotReady"));
    }

    public void endpointChanged(Endpoint before, Endpoint after) {
        if (after == null) {
            return;
        }
        changed(conditions(before), conditions(after), Conditions.SCHEDULED).ifPresent(scheduled -> tell(
                "Endpoint/" + after.name(), scheduled, scheduled.status() == Condition.Status.True ? "Placed" : "Unschedulable"));
    }

    private void tell(String involved, Condition condition, String reason) {
        Instant at = condition.lastTransitionTime() != null ? condition.lastTransitionTime() : clock.instant();
        String message = condition.message() == null ? condition.reason() : condition.message();
        events.accept(condition.status() == Condition.Status.True || "Placed".equals(reason)
                ? EventNote.normal(involved, reason, message, at)
                : EventNote.warning(involved, reason, message, at));
    }

    /** The condition of {@code type} after the change, when its status or message is not what it was. */
    private static Optional<Condition> changed(List<Condition> before, List<Condition> after, String type) {
        Optional<Condition> now = find(after, type);
        Optional<Condition> then = find(before, type);
        if (now.isEmpty()) {
            return Optional.empty();
        }
        boolean same = then.isPresent() && then.get().status() == now.get().status()
                && Objects.equals(then.get().message(), now.get().message());
        return same ? Optional.empty() : now;
    }

    private static Optional<Condition> find(List<Condition> conditions, String type) {
        return conditions.stream().filter(c -> type.equals(c.type())).findFirst();
    }

    private static List<Condition> conditions(Host host) {
        return host == null || host.status() == null ? List.of() : host.status().conditions();
    }

    private static List<Condition> conditions(Endpoint endpoint) {
        return endpoint == null || endpoint.status() == null ? List.of() : endpoint.status().conditions();
    }
}
