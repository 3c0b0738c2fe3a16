package io.tidepool.server.hosts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tidepool.server.LocalFleet;
import io.tidepool.sim.workload.Idle;
import io.tidepool.store.Await;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code up}'s host agents against a real control plane: the leader's controllers place, the agents run. */
@Timeout(120)
class LocalHostsTest {
    private static final String ENDPOINT = """
            apiVersion: tidepool.io/v1
            kind: Endpoint
            metadata: {name: %s}
            spec: {cell: local, compute: {minCu: %s, maxCu: 4}}
            """;

    @TempDir
    Path tmp;

    @Test
    void registersItsHostsAndRunsTheEndpointsAppliedToTheirCell() throws Exception {
        try (LocalFleet fleet = LocalFleet.start(tmp, 2, endpoint -> Idle.TYPICAL)) {
            assertThat(fleet.hosts().names()).containsExactly("local-host-1", "local-host-2");
            fleet.apply(ENDPOINT.formatted("shop", "0.25"), ENDPOINT.formatted("blog", "1"), ENDPOINT.formatted("analytics", "2"));

            Map<String, JsonNode> running = new HashMap<>();
            Await.until(Duration.ofSeconds(60), "every endpoint Running on a local host", () -> {
                JsonNode items = fleet.getJson("/api/v1/endpoints").get("items");
                items.forEach(e -> {
                    if ("Running".equals(e.at("/status/phase").asText())) {
                        running.put(e.at("/metadata/name").asText(), e);
                    }
                });
                return running.size() == 3;
            });

            assertThat(running.values()).allSatisfy(e -> {
                assertThat(e.at("/status/host").asText()).isIn("local-host-1", "local-host-2");
                assertThat(e.at("/status/address").asText()).startsWith("sim://");
            });
            assertThat(running.get("analytics").at("/status/cu").asText()).isEqualTo("2");
            JsonNode hosts = fleet.getJson("/api/v1/hosts").get("items");
            assertThat(hosts.findValuesAsText("name")).containsExactly("local-host-1", "local-host-2");
            assertThat(hosts).allSatisfy(h -> assertThat(h.at("/status/ready").asBoolean()).isTrue());
        }
    }
}
