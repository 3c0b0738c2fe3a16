package io.tidepool.telemetry;

import io.tidepool.api.agent.ComputeMetrics;
import io.tidepool.api.agent.UpscaleRequest;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * What the leader hears from host agents and never writes to the store: heartbeats, the latest
 * metrics of each compute, and when each endpoint was last active. Soft state: a new leader starts
 * with an empty one (its {@link #termStart()}), and the controllers that need it wait until it has
 * watched long enough (a whole grace period, a whole stabilisation window) before acting on absence.
 * Host agents report from their own threads; controllers read from theirs.
 */
public final class Telemetry {
    /** Below this load an endpoint counts as idle, for suspend-after-idle. */
    public static final double IDLE_LOAD = 0.05;

    private final Instant termStart;
    private final Map<String, Instant> heartbeats = new ConcurrentHashMap<>();
    private final Map<String, ComputeMetrics> latest = new ConcurrentHashMap<>();
    private final Map<String, Instant> lastActive = new ConcurrentHashMap<>();
    private volatile BiConsumer<String, ComputeMetrics> onMetrics = (compute, metrics) -> { };
    private volatile Consumer<String> onHeartbeat = host -> { };
    private volatile BiConsumer<String, UpscaleRequest> onUpscaleRequest = (compute, request) -> { };

    public Telemetry(Instant termStart) {
        this.termStart = termStart;
    }

    /** When this leader's term, and so its watching, began. */
    public Instant termStart() {
        return termStart;
    }

    /** Called for every sample after it is recorded (the autoscaler keeps its history and queues the compute). */
    public void onMetrics(BiConsumer<String, ComputeMetrics> listener) {
        onMetrics = listener;
    }

    /** Called for every heartbeat after it is recorded (host health looks again at a host not ready). */
    public void onHeartbeat(Consumer<String> listener) {
        onHeartbeat = listener;
    }

    /** Called for every guest's call for memory (the autoscaler answers it at once). */
    public void onUpscaleRequest(BiConsumer<String, UpscaleRequest> listener) {
        onUpscaleRequest = listener;
    }

    public void upscaleRequested(String compute, UpscaleRequest request) {
        onUpscaleRequest.accept(compute, request);
    }

    public void heartbeat(String host, Instant at) {
        heartbeats.merge(host, at, (a, b) -> a.isAfter(b) ? a : b);
        onHeartbeat.accept(host);
    }

    public Optional<Instant> lastHeartbeat(String host) {
        return Optional.ofNullable(heartbeats.get(host));
    }

    public void record(String compute, String endpoint, ComputeMetrics metrics) {
        latest.put(compute, metrics);
        if (metrics.load1() >= IDLE_LOAD) {
            lastActive.merge(endpoint, metrics.at(), (a, b) -> a.isAfter(b) ? a : b);
        }
        onMetrics.accept(compute, metrics);
    }

    /** A client connection (the proxy reports them) makes an endpoint active as load does. */
    public void active(String endpoint, Instant at) {
        lastActive.merge(endpoint, at, (a, b) -> a.isAfter(b) ? a : b);
    }

    public Optional<ComputeMetrics> latest(String compute) {
        return Optional.ofNullable(latest.get(compute));
    }

    /** When the endpoint was last seen active in this term; empty when never. */
    public Optional<Instant> lastActive(String endpoint) {
        return Optional.ofNullable(lastActive.get(endpoint));
    }

    public void forgetCompute(String compute) {
        latest.remove(compute);
    }

    public void forgetHost(String host) {
        heartbeats.remove(host);
    }
}
