package io.tidepool.proxy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The state of every endpoint the proxy serves, kept current by whoever follows the store. Held
 * connections wait here for a change rather than poll: every update wakes them to decide again.
 */
public final class RouteTable {
    private final Map<String, EndpointState> states = new HashMap<>();
    private long version;

    public synchronized void put(String endpoint, EndpointState state) {
        if (!state.equals(states.put(endpoint, state))) {
            version++;
            notifyAll();
        }
    }

    public synchronized void remove(String endpoint) {
        if (states.remove(endpoint) != null) {
            version++;
            notifyAll();
        }
    }

    /** The endpoint's state now; null when the proxy knows no such endpoint. */
    public synchronized EndpointState get(String endpoint) {
        return states.get(endpoint);
    }

    /** Which change the table is at; pass it to {@link #awaitChange}. */
    public synchronized long version() {
        return version;
    }

    /** Waits until the table changes after {@code seen}, or for at most {@code timeout}. */
    public synchronized void awaitChange(long seen, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (version == seen) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }
}
