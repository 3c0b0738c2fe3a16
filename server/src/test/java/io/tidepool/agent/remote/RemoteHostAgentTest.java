package io.tidepool.agent.remote;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tidepool.agent.HostAgent;
import io.tidepool.api.agent.UpscaleRequest;
import io.tidepool.api.quantity.Cu;
import io.tidepool.api.resource.Compute;
import io.tidepool.api.resource.Host;
import io.tidepool.api.resource.Kind;
import io.tidepool.api.resource.ObjectMeta;
import io.tidepool.registry.ResourceRegistry;
import io.tidepool.server.LocalFleet;
import io.tidepool.server.hosts.LocalHosts;
import io.tidepool.sim.SimDriver;
import io.tidepool.sim.workload.Idle;
import io.tidepool.store.Await;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A host agent on the sim driver that reaches a real control plane only through the REST API
 * with its own token, as {@code tidepool host-agent} runs one: endpoints applied through the API
 * run on its host.
 */
@Timeout(120)
class RemoteHostAgentTest {
    private static final String HOST = "remote-1";
    private static final String SHOP = """
            apiVersion: tidepool.io/v1
            kind: Endpoint
            metadata: {name: shop}
            spec: {cell: local, compute: {minCu: 0.5, maxCu: 2}}
            """;
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path tmp;
    private LocalFleet fleet;
    private RestLink link;
    private AgentLoop loop;

    @AfterEach
    void stop() {
        if (loop != null) {
            loop.close();
        }
        if (link != null) {
            link.close();
        }
        if (fleet != null) {
            fleet.close();
        }
    }

    @Test
    void anEndpointAppliedThroughTheApiRunsOnTheRemoteHost() throws Exception {
        startAgent(Duration.ofSeconds(1));

        fleet.apply(SHOP);

        JsonNode shop = Await.value(WAIT, "shop Running", () -> {
            JsonNode endpoint = fleet.getJson("/api/v1/endpoints/shop");
            return "Running".equals(endpoint.at("/status/phase").asText()) ? endpoint : null;
        });
        assertThat(shop.at("/status/host").asText()).isEqualTo(HOST);
        Compute compute = compute(shop.at("/status/compute").asText());
        assertThat(compute.status().address()).isEqualTo("sim://" + HOST + "/" + compute.name());
        assertThat(fleet.getJson("/api/v1/hosts/" + HOST).at("/status/ready").asBoolean()).isTrue();
    }

    @Test
    void aGuestsCallForMemoryIsGrantedAndAppliedThoughTheNextRoundIsAnHourAway() throws Exception {
        // Only changes the watch delivers make the agent act within the test's deadlines.
        startAgent(Duration.ofHours(1));
        fleet.apply(SHOP);
        JsonNode shop = Await.value(Duration.ofSeconds(20), "shop Running", () -> {
            JsonNode endpoint = fleet.getJson("/api/v1/endpoints/shop");
            return "Running".equals(endpoint.at("/status/phase").asText()) ? endpoint : null;
        });
        String name = shop.at("/status/compute").asText();
        Cu before = compute(name).status().cu();

        link.requestUpscale(name, new UpscaleRequest(Instant.now(), before.memory().value() + (1L << 30), "pressure in the test"));

        Compute grown = Await.value(Duration.ofSeconds(20), "a larger size applied", () -> {
            Compute c = compute(name);
            return c.spec().cu().compareTo(before) > 0 && c.spec().cu().equals(c.status().cu()) ? c : null;
        });
        assertThat(grown.spec().cu().compareTo(before.plus(before))).as("at least twice the size").isGreaterThanOrEqualTo(0);
    }

    private void startAgent(Duration interval) throws Exception {
        fleet = LocalFleet.start(tmp, 0, endpoint -> Idle.TYPICAL);
        HttpResponse<String> made = fleet.post("/api/v1/tokens", "{\"host\": \"" + HOST + "\"}");
        String token = fleet.tree(made.body()).get("token").asText();
        link = RestLink.connect(List.of(URI.create(fleet.url())), token, HOST);
        Host host = new Host(ObjectMeta.named(HOST), new Host.Spec("local", LocalFleet.HOST_SHAPE, false), null);
        HostAgent agent = new HostAgent(host, link, new SimDriver(HOST, endpoint -> Idle.TYPICAL, Duration.ZERO),
                LocalHosts.Settings.LEASE);
        loop = new AgentLoop(agent, link, interval, Clock.systemUTC());
        loop.start();
    }

    private Compute compute(String name) {
        return new ResourceRegistry(fleet.plane().store()).get(Compute.class, Kind.COMPUTE, name).orElseThrow();
    }
}
