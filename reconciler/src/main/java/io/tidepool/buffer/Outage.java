package io.tidepool.buffer;

import java.time.Instant;

/** A time span, {@code [from, until)}, during which a simulated provider cannot be reached. */
public record Outage(Instant from, Instant until) {

    public Outage {
        if (!from.isBefore(until)) {
            throw new IllegalArgumentException("an outage must end after it starts: " + from + " to " + until);
        }
    }

    public boolean covers(Instant t) {
        return !t.isBefore(from) && t.isBefore(until);
    }

    @Override
    public String toString() {
        return "outage " + from + " to " + until;
    }
}
