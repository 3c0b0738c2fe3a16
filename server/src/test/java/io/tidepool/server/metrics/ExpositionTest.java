package io.tidepool.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidepool.store.memory.InMemoryStore;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ExpositionTest {
    private static final String VALID = """
            # HELP requests_total Requests
            # TYPE requests_total counter
            requests_total{method="GET",path="/a \\"b\\" \\\\ c\\nd"} 3.0
            requests_total{method="PUT"} 1
            # TYPE latency_seconds histogram
            latency_seconds_bucket{route="/x",le="0.1"} 1
            latency_seconds_bucket{route="/x",le="1.0"} 2
            latency_seconds_bucket{route="/x",le="+Inf"} 2
            latency_seconds_count{route="/x"} 2
            latency_seconds_sum{route="/x"} 0.55
            # TYPE up gauge
            up 1 1700000000000
            """;

    @Test
    void readsSamplesWithEscapedLabelValuesAndHistograms() {
        Exposition scrape = Exposition.parse(VALID);

        assertThat(scrape.types()).containsExactly(java.util.Map.entry("requests_total", "counter"),
                java.util.Map.entry("latency_seconds", "histogram"), java.util.Map.entry("up", "gauge"));
        assertThat(scrape.valueOf("requests_total", "method", "GET", "path", "/a \"b\" \\ c\nd")).isEqualTo(3.0);
        assertThat(scrape.value("requests_total", "method", "GET")).as("labels must match exactly").isEmpty();
        assertThat(scrape.sum("requests_total")).isEqualTo(4.0);
        assertThat(scrape.valueOf("latency_seconds_count", "route", "/x")).isEqualTo(2.0);
        assertThat(scrape.valueOf("up")).isEqualTo(1.0);
    }

    @Test
    void refusesWhatTheFormatDoesNotAllow() {
        assertRefused("up 1\n", "no declared family");
        assertRefused("# TYPE up gauge\nup{a=\"1\"} 1\nup{a=\"1\"} 2\n", "a second sample");
        assertRefused("# TYPE up gauge\nup{a=1} 1\n", "unquoted");
        assertRefused("# TYPE up gauge\nup{a=\"\\t\"} 1\n", "unknown escape");
        assertRefused("# TYPE up gauge\nup one\n", "not a number");
        assertRefused("# TYPE up gauge\nup 1", "line feed");
        assertRefused("# TYPE up gauge\n# TYPE down gauge\ndown 1\nup 1\n", "apart from the rest of its family");
        assertRefused("# TYPE up gauge\nup{2a=\"x\"} 1\n", "bad label name");
        assertRefused("# TYPE up bogus\n", "unknown type");
        assertRefused("""
                # TYPE h histogram
                h_bucket{le="1"} 2
                h_bucket{le="+Inf"} 1
                h_count 1
                h_sum 1
                """, "not cumulative");
        assertRefused("""
                # TYPE h histogram
                h_bucket{le="+Inf"} 2
                h_count 1
                h_sum 1
                """, "is not the count");
    }

    @Test
    void readsWhatServerMetricsWrites() throws Exception {
        ServerMetrics metrics = new ServerMetrics(new InMemoryStore());
        metrics.recordRequest("GET", "/api/v1/{kind}", 200, 0.012);
        metrics.recordApplied("created");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        metrics.write(out);

        Exposition scrape = Exposition.parse(out.toString(StandardCharsets.UTF_8));

        assertThat(scrape.valueOf("tidepool_http_requests_total", "method", "GET", "route", "/api/v1/{kind}", "status", "200"))
                .isEqualTo(1.0);
        assertThat(scrape.valueOf("tidepool_http_request_duration_seconds_count", "method", "GET", "route", "/api/v1/{kind}"))
                .isEqualTo(1.0);
        assertThat(scrape.valueOf("tidepool_apply_objects_total", "action", "created")).isEqualTo(1.0);
        assertThat(scrape.valueOf("tidepool_store_leader")).isEqualTo(1.0);
        assertThat(scrape.types()).as("no leader's series while no term is running")
                .doesNotContainKeys("tidepool_host_allocated_cu", "tidepool_reconcile_total");
    }

    private static void assertRefused(String text, String why) {
        assertThatThrownBy(() -> Exposition.parse(text)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(why);
    }
}
