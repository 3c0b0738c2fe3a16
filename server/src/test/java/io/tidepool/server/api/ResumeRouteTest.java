package io.tidepool.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tidepool.api.quantity.Cu;
import io.tidepool.api.resource.Compute;
import io.tidepool.api.resource.Condition;
import io.tidepool.api.resource.Endpoint;
import io.tidepool.api.resource.Kind;
import io.tidepool.control.Conditions;
import io.tidepool.registry.ResourceRegistry;
import io.tidepool.registry.ResourceTxn;
import io.tidepool.server.Cli;
import io.tidepool.server.LocalFleet;
import io.tidepool.sim.workload.Idle;
import io.tidepool.store.Await;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code POST /api/v1/endpoints/NAME/resume} and {@code tidepool resume}, on a running control plane with local hosts. */
@Timeout(120)
class ResumeRouteTest {
    private static final String SHOP = """
            apiVersion: tidepool.io/v1
            kind: Endpoint
            metadata: {name: shop}
            spec: {cell: local, compute: {minCu: 0.5, maxCu: 2}, suspendAfter: 5m}
            """;
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    @Test
    void startsASuspendedEndpointAgainOnANewCompute() throws Exception {
        try (LocalFleet fleet = LocalFleet.start(tmp, 1, endpoint -> Idle.TYPICAL)) {
            fleet.apply(LocalFleet.CELL, SHOP);
            awaitRunningAtEpoch(fleet, 1);
            suspendAsIfIdle(new ResourceRegistry(fleet.plane().store()));
            assertThat(fleet.getJson("/api/v1/endpoints/shop").at("/status/phase").asText()).isEqualTo("Suspended");

            HttpResponse<String> resumed = fleet.post("/api/v1/endpoints/shop/resume", null);

            assertThat(resumed.statusCode()).as(resumed.body()).isEqualTo(202);
            assertThat(fleet.tree(resumed.body()).at("/status/resumeRequestedAt").isTextual()).isTrue();
            JsonNode running = awaitRunningAtEpoch(fleet, 2);
            assertThat(running.at("/status/compute").asText()).isEqualTo("shop-2");
            assertThat(running.at("/status/cu").asText()).isEqualTo("0.5");
            assertThat(running.at("/status/resumeRequestedAt").isMissingNode()).as("placing clears the request").isTrue();
            JsonNode suspended = condition(running, Conditions.SUSPENDED);
            assertThat(suspended.get("status").asText()).isEqualTo("False");
            assertThat(suspended.get("reason").asText()).isEqualTo("Resumed");
        }
    }

    @Test
    void refusesAnEndpointThatIsNotSuspendedAndKnowsNoUnknownOne() throws Exception {
        try (LocalFleet fleet = LocalFleet.start(tmp, 1, endpoint -> Idle.TYPICAL)) {
            fleet.apply(LocalFleet.CELL, SHOP);
            awaitRunningAtEpoch(fleet, 1);

            HttpResponse<String> running = fleet.post("/api/v1/endpoints/shop/resume", null);
            HttpResponse<String> unknown = fleet.post("/api/v1/endpoints/nope/resume", null);

            assertThat(running.statusCode()).isEqualTo(409);
            assertThat(fleet.tree(running.body()).get("error").asText())
                    .isEqualTo("Endpoint/shop is not suspended (phase Running): there is nothing to resume");
            assertThat(unknown.statusCode()).isEqualTo(404);

            Cli cli = new Cli(fleet.url(), fleet.plane().adminToken());
            Cli.Run refused = cli.run("resume", "shop");
            Cli.Run missing = cli.run("resume", "nope");
            assertThat(refused.exitCode()).isEqualTo(5);
            assertThat(refused.err()).contains("error: Endpoint/shop is not suspended");
            assertThat(missing.exitCode()).isEqualTo(4);
            assertThat(missing.err()).contains("Endpoint/nope not found");
        }
    }

    private static JsonNode awaitRunningAtEpoch(LocalFleet fleet, long epoch) {
        return Await.value(WAIT, "shop Running at epoch " + epoch, () -> {
            JsonNode shop = fleet.getJson("/api/v1/endpoints/shop");
            return "Running".equals(shop.at("/status/phase").asText()) && shop.at("/status/epoch").asLong() == epoch
                    ? shop : null;
        });
    }

    /** What the endpoint controller writes once shop has been idle for its suspendAfter. */
    private static void suspendAsIfIdle(ResourceRegistry registry) {
        Await.until(WAIT, "shop suspended", () -> {
            Endpoint shop = registry.get(Endpoint.class, Kind.ENDPOINT, "shop").orElseThrow();
            Compute compute = registry.get(Compute.class, Kind.COMPUTE, shop.status().compute()).orElseThrow();
            Endpoint.Status s = shop.status();
            Endpoint.Status suspended = new Endpoint.Status(Endpoint.Phase.Suspended, null, Cu.ZERO, null,
                    Conditions.set(s.conditions(), new Condition(Conditions.SUSPENDED, Condition.Status.True, "Idle",
                            "suspended by the test", Instant.now())),
                    s.lastDecision(), null, s.epoch(), null);
            return registry.store().txn(new ResourceTxn().delete(compute).update(shop, shop.withStatus(suspended)).toTxn())
                    .succeeded();
        });
    }

    private static JsonNode condition(JsonNode endpoint, String type) {
        for (JsonNode condition : endpoint.at("/status/conditions")) {
            if (type.equals(condition.get("type").asText())) {
                return condition;
            }
        }
        throw new AssertionError("no " + type + " condition in " + endpoint);
    }
}
