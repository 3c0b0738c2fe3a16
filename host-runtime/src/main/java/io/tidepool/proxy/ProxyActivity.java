package io.tidepool.proxy;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * Open connections and last activity of each endpoint, as the proxy sees them, passed on to
 * whoever decides suspend-after-idle. Activity is bytes flowing through the proxy, either way, and
 * a new connection: an open connection that sends nothing does not keep its endpoint awake, as on
 * Neon, so that a forgotten psql or an idle pool does not hold a compute forever (its connection is
 * closed by the suspend, and the client's next connection wakes the endpoint). Reports go out at
 * most once per {@link #REPORT_EVERY} per endpoint, so a busy connection does not call out on every read.
 */
public final class ProxyActivity {
    public static final Duration REPORT_EVERY = Duration.ofSeconds(1);

    /**
     * @param openConnections open through the proxy, and steered straight to the endpoint's Postgres
     * @param lastActive      when bytes last flowed, or a connection opened; null when never
     */
    public record Snapshot(int openConnections, Instant lastActive) {
    }

    private final InstantSource clock;
    private final BiConsumer<String, Instant> sink;
    private final Map<String, Counters> endpoints = new ConcurrentHashMap<>();

    private static final class Counters {
        final AtomicInteger open = new AtomicInteger();
        volatile int steered;
        volatile Instant lastActive;
        volatile Instant lastReported;

        Snapshot snapshot() {
            return new Snapshot(open.get() + steered, lastActive);
        }
    }

    /** @param sink told {@code (endpoint, at)} when the endpoint is active, as {@code Telemetry.active} */
    public ProxyActivity(InstantSource clock, BiConsumer<String, Instant> sink) {
        this.clock = clock;
        this.sink = sink;
    }

    void opened(String endpoint) {
        counters(endpoint).open.incrementAndGet();
        active(endpoint);
    }

    void closed(String endpoint) {
        counters(endpoint).open.decrementAndGet();
    }

    /** Bytes flowed for the endpoint. */
    void active(String endpoint) {
        active(counters(endpoint), endpoint, clock.instant());
    }

    /**
     * Connections the kernel handed straight to the endpoint's Postgres ({@link ListenerSteering}),
     * which the proxy sees only from the outside: how many are open now, and when data last
     * flowed on any of them (null when none is open).
     */
    void steered(String endpoint, int connections, Instant lastActive) {
        Counters counters = counters(endpoint);
        counters.steered = connections;
        Instant seen = counters.lastActive;
        if (lastActive != null && (seen == null || lastActive.isAfter(seen))) {
            active(counters, endpoint, lastActive);
        }
    }

    private void active(Counters counters, String endpoint, Instant at) {
        counters.lastActive = at;
        Instant reported = counters.lastReported;
        if (reported == null || !at.isBefore(reported.plus(REPORT_EVERY))) {
            counters.lastReported = at;
            sink.accept(endpoint, at);
        }
    }

    /** Connections open through the proxy itself, not counting steered ones. */
    int proxied(String endpoint) {
        Counters counters = endpoints.get(endpoint);
        return counters == null ? 0 : counters.open.get();
    }

    public Optional<Snapshot> of(String endpoint) {
        Counters counters = endpoints.get(endpoint);
        return counters == null ? Optional.empty() : Optional.of(counters.snapshot());
    }

    /** Every endpoint the proxy has seen a connection for, by name. */
    public Map<String, Snapshot> all() {
        Map<String, Snapshot> all = new TreeMap<>();
        endpoints.forEach((name, counters) -> all.put(name, counters.snapshot()));
        return all;
    }

    private Counters counters(String endpoint) {
        return endpoints.computeIfAbsent(endpoint, name -> new Counters());
    }
}
