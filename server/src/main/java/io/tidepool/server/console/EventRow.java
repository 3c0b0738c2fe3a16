package io.tidepool.server.console;

import io.tidepool.api.resource.Event;
import java.time.Instant;

/** An event as the console lists it, newest first. */
public record EventRow(String name, String involved, Event.Type type, String reason, String message,
                       Instant lastTimestamp, int count) {

    static EventRow of(Event event) {
        Event.Status s = event.status();
        return new EventRow(event.name(), event.spec().involved(), event.spec().type(), event.spec().reason(),
                event.spec().message(), s == null ? null : s.lastTimestamp(), s == null ? 1 : s.count());
    }

    /** Newest first; events without a time last; then by name, so the order is total. */
    static int newestFirst(EventRow a, EventRow b) {
        Instant ta = a.lastTimestamp() == null ? Instant.MIN : a.lastTimestamp();
        Instant tb = b.lastTimestamp() == null ? Instant.MIN : b.lastTimestamp();
        int byTime = tb.compareTo(ta);
        return byTime != 0 ? byTime : a.name().compareTo(b.name());
    }
}
