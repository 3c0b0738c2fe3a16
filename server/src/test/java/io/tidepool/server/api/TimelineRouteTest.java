package io.tidepool.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tidepool.server.LocalFleet;
import io.tidepool.sim.workload.Demand;
import io.tidepool.sim.workload.Idle;
import io.tidepool.sim.workload.Workload;
import io.tidepool.store.Await;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /api/v1/endpoints/NAME/timeline} on the leader of a running fleet. */
@Timeout(120)
class TimelineRouteTest {
    private static final String BUSY = """
            apiVersion: tidepool.io/v1
            kind: Endpoint
            metadata: {name: busy}
            spec: {cell: local, compute: {minCu: 0.25, maxCu: 4}}
            """;
    /** Wants 3 GiB of working memory: it grows from 0.25 CU as soon as its first metrics arrive. */
    private static final Workload HUNGRY = t -> Demand.ofMebibytes(0.3, 3_072, 256);

    @TempDir
    Path tmp;

    @Test
    void drawsAllocatedCuLoadAndMemoryWithTheUpscaleAndItsExplanation() throws Exception {
        try (LocalFleet fleet = LocalFleet.start(tmp, 1, endpoint -> endpoint.equals("busy") ? HUNGRY : Idle.TYPICAL)) {
            fleet.apply(BUSY);
            JsonNode timeline = Await.value(Duration.ofSeconds(60), "busy's timeline with an upscale and a sample", () -> {
                JsonNode t = fleet.getJson("/api/v1/endpoints/busy/timeline?decisions=3");
                boolean sampled = false;
                for (JsonNode load : t.get("load1")) {
                    sampled |= !load.isNull();
                }
                return sampled && t.get("decisions").size() > 0 ? t : null;
            });

            assertThat(timeline.get("endpoint").asText()).isEqualTo("busy");
            assertThat(timeline.get("stepSeconds").asLong()).isEqualTo(10);
            assertThat(timeline.has("note") && !timeline.get("note").isNull()).as("the leader answered").isFalse();
            int buckets = timeline.get("time").size();
            assertThat(timeline.get("cu")).hasSize(buckets);
            assertThat(timeline.get("memoryUsedBytes")).hasSize(buckets);
            double lastCu = timeline.get("cu").get(buckets - 1).asDouble();
            assertThat(lastCu).as("allocated CU after the upscale").isGreaterThan(0.25);
            JsonNode decision = timeline.get("decisions").get(0);
            assertThat(decision.get("type").asText()).isEqualTo("scaling");
            assertThat(decision.get("title").asText()).startsWith("upscale 0.25 -> ");
            assertThat(decision.get("explanation").asText()).contains("memory");
            assertThat(timeline.get("markers").findValuesAsText("title")).contains(decision.get("title").asText());

            assertThat(fleet.get("/api/v1/endpoints/nope/timeline").statusCode()).isEqualTo(404);
            var bad = fleet.get("/api/v1/endpoints/busy/timeline?decisions=lots");
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(bad.body()).contains("decisions must be a number from 0 to 100");
        }
    }
}
