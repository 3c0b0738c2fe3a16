package io.tidepool.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tidepool.server.Cli;
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

/** {@code GET /api/v1/KIND/NAME/describe} and {@code tidepool describe}, with the leader's scaling decisions. */
@Timeout(120)
class DescribeRouteTest {
    private static final String BUSY = """
            apiVersion: tidepool.io/v1
            kind: Endpoint
            metadata: {name: busy, labels: {team: data}}
            spec: {cell: local, compute: {minCu: 0.25, maxCu: 4}, suspendAfter: 10m}
            """;
    /** Wants 3 GiB of working memory: it grows from 0.25 CU as soon as its first metrics arrive. */
    private static final Workload HUNGRY = t -> Demand.ofMebibytes(0.3, 3_072, 256);

    @TempDir
    Path tmp;

    @Test
    void describesAnEndpointWithItsComputeConditionsAndScalingDecisions() throws Exception {
        try (LocalFleet fleet = LocalFleet.start(tmp, 2, endpoint -> endpoint.equals("busy") ? HUNGRY : Idle.TYPICAL)) {
            fleet.apply(BUSY);
            Await.until(Duration.ofSeconds(60), "busy Running with a stored upscale", () -> {
                JsonNode busy = fleet.getJson("/api/v1/endpoints/busy");
                return "Running".equals(busy.at("/status/phase").asText()) && busy.at("/status/lastDecision").isObject();
            });

            JsonNode description = fleet.getJson("/api/v1/endpoints/busy/describe");

            assertThat(description.at("/object/metadata/name").asText()).isEqualTo("busy");
            assertThat(description.get("computes").findValuesAsText("name")).containsExactly("busy-1");
            JsonNode latest = description.get("latestDecisions").get(0);
            assertThat(latest.get("compute").asText()).isEqualTo("busy-1");
            assertThat(latest.get("explanation").asText()).isNotBlank();
            assertThat(description.has("scalingNote")).as("the leader answered").isFalse();
            assertThat(fleet.get("/api/v1/endpoints/nope/describe").statusCode()).isEqualTo(404);

            Await.until(Duration.ofSeconds(30), "busy's placement and upscale kept as events", () -> {
                String events = fleet.getJson("/api/v1/endpoints/busy/describe").get("events").toString();
                return events.contains("\"Upscaled\"") && events.contains("\"Placed\"");
            });
            Cli cli = new Cli(fleet.url(), fleet.plane().adminToken());
            Cli.Run endpoint = cli.run("describe", "endpoint", "busy");
            assertThat(endpoint.exitCode()).as(endpoint.err()).isZero();
            assertThat(endpoint.out()).containsPattern("(?m)^Name: +busy$").containsPattern("(?m)^Labels: +team=data$")
                    .contains("Spec:\n  cell:", "suspendAfter:", "Status:\n", "phase:", "Running")
                    .containsPattern("(?m)^  Scheduled +True +Placed ")
                    .containsPattern("(?m)^  busy-1 +busy +local-host-\\d ")
                    .containsPattern("(?m)^  Last change: +upscale [0-9.]+ -> [0-9.]+ CU: ")
                    .containsPattern("(?m)^  Latest: +busy-1: ")
                    .containsPattern("(?m)^  Recent changes:\n    AGE +FROM +TO +WHY\n")
                    .containsPattern("(?m)^    \\S+ +0.25 +[0-9.]+ +upscale 0.25 -> ")
                    .containsPattern("(?m)^  Normal +Upscaled +\\S+ +1 +upscale 0.25 -> ")
                    .containsPattern("(?m)^  Normal +Placed +\\S+ +1 +placed 0.25 CU on local-host-\\d");

            String host = fleet.getJson("/api/v1/endpoints/busy").at("/status/host").asText();
            Cli.Run onHost = cli.run("describe", "host", host);
            assertThat(onHost.out()).contains("Kind:", "Host", "Computes:", "busy-1").doesNotContain("Scaling:");
            Cli.Run missing = cli.run("describe", "endpoint", "nope");
            assertThat(missing.exitCode()).isEqualTo(4);
            assertThat(missing.err()).contains("Endpoint/nope not found");
        }
    }
}
