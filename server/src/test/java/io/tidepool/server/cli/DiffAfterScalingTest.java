package io.tidepool.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tidepool.manifests.cli.ExitCode;
import io.tidepool.server.Cli;
import io.tidepool.server.LocalFleet;
import io.tidepool.sim.workload.Demand;
import io.tidepool.sim.workload.Idle;
import io.tidepool.store.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Manifests own spec, labels and annotations; what the autoscaler changes is never drift. */
@Timeout(120)
class DiffAfterScalingTest {
    private static final String BUSY = """
            apiVersion: tidepool.io/v1
            kind: Endpoint
            metadata: {name: busy, labels: {team: data}}
            spec: {cell: local, compute: {minCu: 0.25, maxCu: 4}}
            """;

    @TempDir
    Path tmp;

    @Test
    void diffStaysEmptyAndTheSetShowsNoDriftAfterTheFleetScales() throws Exception {
        try (LocalFleet fleet = LocalFleet.start(tmp.resolve("data"), 1,
                endpoint -> endpoint.equals("busy") ? t -> Demand.ofMebibytes(0.3, 3_072, 256) : Idle.TYPICAL)) {
            Path manifests = Files.createDirectories(tmp.resolve("data-team"));
            Files.writeString(manifests.resolve("busy.yaml"), BUSY);
            Cli cli = new Cli(fleet.url(), fleet.plane().adminToken());
            assertThat(cli.run("apply", "-f", manifests.toString()).exitCode()).isZero();

            JsonNode scaled = Await.value(Duration.ofSeconds(60), "busy scaled up by the autoscaler", () -> {
                JsonNode busy = fleet.getJson("/api/v1/endpoints/busy");
                return busy.at("/status/lastDecision").isObject() && busy.at("/status/cu").asDouble() > 0.25 ? busy : null;
            });

            Cli.Run diff = cli.run("diff", "-f", manifests.toString());
            assertThat(diff.exitCode()).as(diff.out()).isEqualTo(ExitCode.OK);
            assertThat(diff.out()).doesNotContain("+++", "---");
            assertThat(scaled.at("/status/cu").asDouble()).isGreaterThan(0.25);
            assertThat(fleet.getJson("/api/v1/applysets/data-team/drift").at("/drifted").isEmpty()).isTrue();
            assertThat(cli.run("apply", "-f", manifests.toString()).out()).contains("Endpoint/busy unchanged");
        }
    }
}
