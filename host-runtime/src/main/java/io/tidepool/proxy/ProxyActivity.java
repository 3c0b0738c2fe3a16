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

    /** @param lastActive when bytes last flowed, or a connection opened; null when never */
    public record Snapshot(int openConnections, Instant lastActive) {
    }

    private final InstantSource clock;
    private final BiConsumer<String, Instant> sink;
    private final Map<String, Counters> endpoints = new ConcurrentHashMap<>();

    private static final class Counters {
        final AtomicInteger open = new AtomicInteger();
        volatile Instant lastActive;
        volatile Instant lastReported;
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
        Counters counters = counters(endpoint);
        Instant now = clock.instant();
        counters.lastActive = now;
        Instant reported = counters.lastReported;
        if (reported == null || !now.isBefore(reported.plus(REPORT_EVERY))) {
            counters.lastReported = now;
            sink.accept(endpoint, now);
        }
    }

    public Optional<Snapshot> of(String endpoint) {
        Counters counters = endpoints.get(endpoint);
        return counters == null ? Optional.empty() : Optional.of(new Snapshot(counters.open.get(), counters.lastActive));
    }

    /** Every endpoint the proxy has seen a connection for, by name. */
    public Map<String, Snapshot> all() {
        Map<String, Snapshot> all = new TreeMap<>();
        endpoints.forEach((name, counters) -> all.put(name, new Snapshot(counters.open.get(), counters.lastActive)));
        return all;
    }

    private Counters counters(String endpoint) {
        return endpoints.computeIfAbsent(endpoint, name -> new Counters());
    }
}
