package io.tidepool.server.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.tidepool.control.ControlLoop;
import io.tidepool.registry.ResourceRegistry;
import io.tidepool.store.Store;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;

/**
 * What {@code /metrics} exposes, in Prometheus text format: this node's API and store, and, while
 * it leads, the fleet and its controllers ({@link LeaderMetrics}). docs/metrics.md lists them.
 */
public final class ServerMetrics {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final LeaderMetrics leader;
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private final Counter requests;
    private final Histogram requestSeconds;
    private final Counter appliedObjects;

    public ServerMetrics(Store store) {
        leader = new LeaderMetrics(new ResourceRegistry(store));
        requests = Counter.builder()
                .name("tidepool_http_requests_total")
                .help("API requests by method, route and status")
                .labelNames("method", "route", "status")
                .register(registry);
        requestSeconds = Histogram.builder()
                .name("tidepool_http_request_duration_seconds")
                .help("API request latency by method and route")
                .labelNames("method", "route")
                .classicOnly()
                .register(registry);
        appliedObjects = Counter.builder()
                .name("tidepool_apply_objects_total")
                .help("Objects applied from manifests, by what the apply did to them")
                .labelNames("action")
                .register(registry);
        GaugeWithCallback.builder()
                .name("tidepool_store_revision")
                .help("The store revision this node has applied")
                .callback(cb -> revisionOf(store, cb))
                .register(registry);
        GaugeWithCallback.builder()
                .name("tidepool_store_leader")
                .help("1 when this node leads the store (and runs the reconcilers), else 0")
                .callback(cb -> cb.call(store.leadership().isLeader() ? 1 : 0))
                .register(registry);
        registry.register(leader);
    }

    /** The metrics of a new term of leadership, from zero; {@link #leading} shows them once its controllers run. */
    public TermMetrics newTerm(Instant start) {
        return new TermMetrics(start);
    }

    /** This node leads with {@code loop}, whose controllers report to {@code term}. */
    public void leading(TermMetrics term, ControlLoop loop) {
        leader.leading(term, loop);
    }

    /** The term is over: its series go until the next term. */
    public void stoppedLeading(TermMetrics term) {
        leader.stoppedLeading(term);
    }

    // A scrape must answer even while the store has no leader; the gauge is then left out.
    private static void revisionOf(Store store, GaugeWithCallback.Callback cb) {
        try {
            cb.call(store.currentRevision());
        } catch (RuntimeException unavailable) {
            // no sample this scrape
        }
    }

    public void recordRequest(String method, String route, int status, double seconds) {
        requests.labelValues(method, route, Integer.toString(status)).inc();
        requestSeconds.labelValues(method, route).observe(seconds);
    }

    public void recordApplied(String action) {
        appliedObjects.labelValues(action).inc();
    }

    public String contentType() {
        return PrometheusTextFormatWriter.CONTENT_TYPE;
    }

    public void write(OutputStream out) throws IOException {
        writer.write(out, registry.scrape());
    }
}
