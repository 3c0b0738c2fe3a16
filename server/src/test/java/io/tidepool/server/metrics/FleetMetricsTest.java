package io.tidepool.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tidepool.api.quantity.Cu;
import io.tidepool.server.LocalFleet;
import io.tidepool.sim.workload.Idle;
import io.tidepool.store.Await;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /metrics} of a real single-node control plane with sim host agents over real HTTP, scraped
 * as Prometheus would, after real work: four endpoints packed on one host, a guest's call for memory
 * that takes the host past its watermark, and the migration that follows.
 */
@Timeout(180)
class FleetMetricsTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String ENDPOINT = """
            apiVersion: tidepool.io/v1
            kind: Endpoint
            metadata: {name: db-%d}
            spec: {cell: local, compute: {minCu: 3.5, maxCu: 8}}
            """;
    private static final List<String> CONTROLLERS = List.of("placement", "ledger", "host-health", "endpoint", "autoscale",
            "migration", "restart", "buffer");

    @TempDir
    Path tmp;

    @Test
    void exposesTheFleetAndWhatTheControllersDidAfterAnUpscaleAndAMigration() throws Exception {
        Instant testStart = Instant.now();
        try (LocalFleet fleet = LocalFleet.start(tmp, 2, endpoint -> Idle.TYPICAL)) {
            fleet.apply(ENDPOINT.formatted(1), ENDPOINT.formatted(2), ENDPOINT.formatted(3), ENDPOINT.formatted(4));
            Await.until(WAIT, "four endpoints Running", () -> fleet.getJson("/api/v1/endpoints").get("items")
                    .findValuesAsText("phase").stream().filter("Running"::equals).count() == 4);
            awaitLedgersAsScrapedEqualTheirComputes(fleet);

            Exposition packed = scrape(fleet);
            String full = hostWith(fleet, "db-1");
            assertThat(packed.valueOf("tidepool_host_allocated_cu", "cell", "local", "host", full))
                    .as("best fit packs all four on one host, below its watermark").isEqualTo(14.0);
            for (String host : List.of("local-host-1", "local-host-2")) {
                assertThat(packed.valueOf("tidepool_host_capacity_cu", "cell", "local", "host", host)).isEqualTo(16.0);
                assertThat(packed.valueOf("tidepool_host_ready", "cell", "local", "host", host)).isEqualTo(1.0);
            }
            assertThat(packed.valueOf("tidepool_cell_hosts", "cell", "local", "ready", "true")).isEqualTo(2.0);
            assertThat(packed.valueOf("tidepool_cell_hosts", "cell", "local", "ready", "false")).isZero();
            assertThat(packed.valueOf("tidepool_cell_buffer_target_cu", "cell", "local")).isZero();
            assertThat(packed.value("tidepool_cell_provider_ready", "cell", "local", "provider", "static"))
                    .as("hosts register themselves: no provider to be ready").isEmpty();
            Await.until(WAIT, "the cell's rollup to catch up with its hosts", () -> {
                Exposition s = scrape(fleet);
                return s.valueOf("tidepool_cell_allocated_cu", "cell", "local") == s.sum("tidepool_host_allocated_cu", "cell", "local")
                        && s.valueOf("tidepool_cell_capacity_cu", "cell", "local") == 32.0
                        && s.valueOf("tidepool_cell_spare_cu", "cell", "local") > 0;
            });

            double upscalesBefore = packed.valueOrZero("tidepool_scaling_decisions_total", "direction", "up", "reason", "memory-pressure");
            String compute = fleet.getJson("/api/v1/endpoints/db-1").at("/status/compute").asText();
            HttpResponse<String> asked = fleet.post("/api/v1/computes/" + compute + "/upscale-request",
                    "{\"at\": \"" + Instant.now() + "\", \"neededBytes\": " + (16L << 30) + ", \"reason\": \"test\"}");
            assertThat(asked.statusCode()).as(asked.body()).isEqualTo(202);

            Await.until(WAIT, "the upscale confirmed and the full host shed to its watermark, every move done", () -> {
                Exposition s = scrape(fleet);
                boolean movesDone = fleet.getJson("/api/v1/migrations").get("items").findValuesAsText("phase").stream()
                        .allMatch(phase -> phase.equals("Succeeded") || phase.equals("Failed"));
                return s.valueOrZero("tidepool_upscale_duration_seconds_count", "reason", "memory-pressure") == 1
                        && s.valueOf("tidepool_migrations_finished_total", "reason", "watermark", "outcome", "succeeded") >= 1
                        && s.valueOf("tidepool_host_allocated_cu", "cell", "local", "host", full) <= 14.25
                        && s.valueOf("tidepool_migrations_in_progress", "cell", "local") == 0 && movesDone;
            });
            awaitLedgersAsScrapedEqualTheirComputes(fleet);

            Exposition after = scrape(fleet);
            assertThat(after.valueOf("tidepool_scaling_decisions_total", "direction", "up", "reason", "memory-pressure"))
                    .as("one call for memory, one upscale written").isEqualTo(upscalesBefore + 1);
            assertThat(after.valueOf("tidepool_upscale_duration_seconds_sum", "reason", "memory-pressure"))
                    .as("the call's time to relief").isPositive().isLessThan(WAIT.toSeconds());
            assertThat(after.valueOf("tidepool_host_allocated_cu", "cell", "local", "host", full))
                    .as("shed to its watermark or below").isLessThanOrEqualTo(14.25);

            // A scrape and a list are two reads: a move that starts between them is looked at again.
            Await.until(WAIT, "each Migration object counted once started and once finished, timed as it says",
                    () -> countedAsTheirObjectsSay(fleet));
            assertThat(fleet.getJson("/api/v1/migrations").get("items").findValuesAsText("phase"))
                    .isNotEmpty().containsOnly("Succeeded");
            assertThat(after.valueOf("tidepool_migrations_finished_total", "reason", "watermark", "outcome", "warm-timeout"))
                    .as("every end a migration can reach is there from the start").isZero();

            for (String controller : CONTROLLERS) {
                assertThat(after.value("tidepool_workqueue_depth", "controller", controller)).as(controller).isPresent();
                assertThat(after.value("tidepool_workqueue_retries_total", "controller", controller)).as(controller).isPresent();
            }
            assertThat(after.valueOf("tidepool_reconcile_total", "controller", "autoscale", "result", "done")).isPositive();
            assertThat(after.valueOf("tidepool_workqueue_adds_total", "controller", "placement")).isPositive();
            Await.until(WAIT, "a scrape between reconciles: each one counted in its result and its time", () -> {
                Exposition s = scrape(fleet);
                return CONTROLLERS.stream().allMatch(c -> s.sum("tidepool_reconcile_total", "controller", c)
                        == s.valueOf("tidepool_reconcile_duration_seconds_count", "controller", c));
            });

            JsonNode health = fleet.getJson("/healthz");
            Exposition last = scrape(fleet);
            assertThat(last.valueOf("tidepool_store_leader")).isEqualTo(1.0);
            assertThat(last.valueOf("tidepool_store_revision")).isGreaterThanOrEqualTo(health.get("revision").asDouble());
            assertThat(last.valueOf("tidepool_leader_term_start_time_seconds"))
                    .isBetween(testStart.toEpochMilli() / 1000.0, Instant.now().toEpochMilli() / 1000.0);
        }
    }

    /**
     * Whether the migration series agree with the Migration objects: one start per object, one
     * success per Succeeded one, and the duration histogram's sum their finishedAt - startedAt.
     */
    private static boolean countedAsTheirObjectsSay(LocalFleet fleet) {
        Exposition s = scrape(fleet);
        List<JsonNode> migrations = fleet.getJson("/api/v1/migrations").get("items").findParents("startedAt");
        List<JsonNode> succeeded = migrations.stream().filter(m -> m.get("phase").asText().equals("Succeeded")).toList();
        double took = succeeded.stream().mapToDouble(m -> Duration.between(Instant.parse(m.get("startedAt").asText()),
                Instant.parse(m.get("finishedAt").asText())).toNanos() / 1e9).sum();
        return s.valueOf("tidepool_migrations_started_total", "reason", "watermark") == migrations.size()
                && s.valueOf("tidepool_migrations_finished_total", "reason", "watermark", "outcome", "succeeded") == succeeded.size()
                && s.sum("tidepool_migrations_finished_total") == succeeded.size()
                && s.valueOf("tidepool_migration_duration_seconds_count", "outcome", "succeeded") == succeeded.size()
                && Math.abs(s.valueOf("tidepool_migration_duration_seconds_sum", "outcome", "succeeded") - took) < 0.001 * migrations.size()
                && s.valueOf("tidepool_migrations_in_progress", "cell", "local") == migrations.size() - succeeded.size();
    }

    /** Each host's allocation as scraped equals what its computes hold, max(spec.cu, status.cu) each. */
    private static void awaitLedgersAsScrapedEqualTheirComputes(LocalFleet fleet) {
        Await.until(WAIT, "each host's allocation as scraped to equal the CU its computes hold", () -> {
            Exposition scraped = scrape(fleet);
            Map<String, Double> held = new HashMap<>(Map.of("local-host-1", 0.0, "local-host-2", 0.0));
            for (JsonNode compute : fleet.getJson("/api/v1/computes").get("items")) {
                Cu granted = Cu.parse(compute.at("/spec/cu").asText());
                JsonNode applied = compute.at("/status/cu");
                Cu holds = applied.isMissingNode() || applied.isNull() ? granted : granted.max(Cu.parse(applied.asText()));
                held.merge(compute.at("/spec/host").asText(), holds.quarters() / 4.0, Double::sum);
            }
            return held.entrySet().stream().allMatch(h ->
                    scraped.valueOf("tidepool_host_allocated_cu", "cell", "local", "host", h.getKey()) == h.getValue());
        });
    }

    private static String hostWith(LocalFleet fleet, String endpoint) {
        return fleet.getJson("/api/v1/endpoints/" + endpoint).at("/status/host").asText();
    }

    private static Exposition scrape(LocalFleet fleet) {
        HttpResponse<String> response = fleet.get("/metrics");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type)
                .startsWith("text/plain; version=0.0.4"));
        return Exposition.parse(response.body());
    }
}
