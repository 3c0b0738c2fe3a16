package io.tidepool.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tidepool.agent.remote.RestLink;
import io.tidepool.api.quantity.Bytes;
import io.tidepool.api.quantity.MilliCpu;
import io.tidepool.api.resource.Host;
import io.tidepool.api.resource.HostShape;
import io.tidepool.api.resource.ObjectMeta;
import io.tidepool.server.metrics.Exposition;
import io.tidepool.store.Await;
import io.tidepool.store.LoopbackPort;
import io.tidepool.store.ratis.Peer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Three control-plane nodes in one JVM, with real Ratis, RocksDB and HTTP: any node serves any client. */
@Timeout(180)
class ControlPlaneClusterTest {
    private static final String MANIFEST = """
            apiVersion: tidepool.io/v1
            kind: Cell
            metadata: {name: eu-1a}
            spec: {hostTemplate: {cpus: 16, memory: 64Gi}}
            ---
            apiVersion: tidepool.io/v1
            kind: Endpoint
            metadata: {name: %s}
            spec: {cell: eu-1a, compute: {minCu: 0.25, maxCu: 4}}
            """;

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<ControlPlane> nodes = new ArrayList<>();

    @TempDir
    Path tmp;

    @AfterEach
    void stop() {
        nodes.forEach(ControlPlane::close);
    }

    @Test
    void writesThroughAFollowerAreReadOnEveryNodeWithAnyNodesTokenOrAConsoleSessionMadeOnAnother() throws Exception {
        startCluster(3);
        ControlPlane follower = nodes.stream().filter(n -> !n.store().leadership().isLeader()).findFirst().orElseThrow();

        HttpResponse<String> applied = apply(follower, follower.adminToken(), "shop");
        assertThat(applied.statusCode()).as(applied.body()).isEqualTo(200);

        for (ControlPlane reader : nodes) {
            for (ControlPlane tokenOwner : nodes) {
                HttpResponse<String> got = get(reader, tokenOwner.adminToken(), "/api/v1/endpoints/shop");
                assertThat(got.statusCode()).as(got.body()).isEqualTo(200);
                assertThat(json.readTree(got.body()).at("/spec/compute/maxCu").asText()).isEqualTo("4");
            }
        }
        String leaderId = nodes.stream().filter(n -> n.store().leadership().isLeader()).findFirst().orElseThrow()
                .store().leadership().leaderId().orElseThrow();
        assertThat(get(follower, follower.adminToken(), "/healthz").headers().firstValue("X-Tidepool-Leader")).contains(leaderId);

        // A console link made on one node logs in on another, and the session reads the console on every node.
        ControlPlane other = nodes.stream().filter(n -> n != follower).findFirst().orElseThrow();
        HttpResponse<String> login = sessionGet(other, null, follower.newConsoleLoginPath());
        assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
        String cookie = login.headers().firstValue("Set-Cookie").orElseThrow();
        String session = cookie.substring(0, cookie.indexOf(';'));
        for (ControlPlane reader : nodes) {
            Await.until(Duration.ofSeconds(30), "shop in the console of " + uri(reader, ""),
                    () -> sessionGet(reader, session, "/console/api/endpoints/shop").statusCode() == 200);
        }
        assertThat(json.readTree(sessionGet(follower, session, "/console/api/endpoints/shop").body()).get("note").asText())
                .as("a follower's console says where the chart is").contains("open the console on " + leaderId);
        assertThat(json.readTree(get(follower, follower.adminToken(), "/api/v1/endpoints/shop/timeline").body()).get("note").asText())
                .endsWith("ask " + leaderId);
    }

    /** A GET as a browser sends it: with the session cookie, if any, and no token. */
    private HttpResponse<String> sessionGet(ControlPlane node, String cookie, String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(node, path)).timeout(Duration.ofSeconds(30)).GET();
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void keepsServingAfterTheLeaderDies() throws Exception {
        startCluster(3);
        assertThat(apply(nodes.get(0), nodes.get(0).adminToken(), "shop").statusCode()).isEqualTo(200);
        ControlPlane leader = nodes.stream().filter(n -> n.store().leadership().isLeader()).findFirst().orElseThrow();
        leader.close();
        nodes.remove(leader);
        ControlPlane survivor = nodes.get(0);

        HttpResponse<String> applied = Await.value(Duration.ofSeconds(60), "an apply through a survivor",
                () -> {
                    HttpResponse<String> response = apply(survivor, survivor.adminToken(), "blog");
                    return response.statusCode() == 200 ? response : null;
                });

        JsonNode list = json.readTree(get(nodes.get(1), survivor.adminToken(), "/api/v1/endpoints").body());
        assertThat(list.get("items").findValuesAsText("name")).containsExactly("blog", "shop");
        assertThat(applied.statusCode()).isEqualTo(200);
    }

    @Test
    void onlyTheLeaderExposesTheFleetAndANewLeaderCountsFromItsOwnTerm() throws Exception {
        startCluster(3);
        assertThat(apply(nodes.get(0), nodes.get(0).adminToken(), "shop").statusCode()).isEqualTo(200);
        ControlPlane leader = nodes.stream().filter(n -> n.store().leadership().isLeader()).findFirst().orElseThrow();
        Exposition leading = Await.value(Duration.ofSeconds(30), "the leader's cache to hold the cell",
                () -> scrape(leader).value("tidepool_cell_buffer_target_cu", "cell", "eu-1a").isPresent() ? scrape(leader) : null);
        assertThat(leading.valueOf("tidepool_store_leader")).isEqualTo(1.0);
        for (ControlPlane follower : nodes.stream().filter(n -> n != leader).toList()) {
            Exposition following = scrape(follower);
            assertThat(following.valueOf("tidepool_store_leader")).isZero();
            assertThat(following.value("tidepool_store_revision")).isPresent();
            assertThat(following.types()).as("a follower has no fleet cache and no term")
                    .doesNotContainKeys("tidepool_cell_buffer_target_cu", "tidepool_reconcile_total",
                            "tidepool_leader_term_start_time_seconds", "tidepool_workqueue_depth");
        }

        Instant killed = Instant.now();
        leader.close();
        nodes.remove(leader);
        ControlPlane next = Await.value(Duration.ofSeconds(60), "a new leader's controllers",
                () -> nodes.stream().filter(n -> n.controlLoop() != null).findFirst().orElse(null));
        Exposition nextTerm = Await.value(Duration.ofSeconds(30), "the new leader's fleet series",
                () -> scrape(next).value("tidepool_cell_buffer_target_cu", "cell", "eu-1a").isPresent() ? scrape(next) : null);

        assertThat(nextTerm.valueOf("tidepool_leader_term_start_time_seconds"))
                .as("its counts start with its own term").isGreaterThanOrEqualTo(killed.toEpochMilli() / 1000.0);
        assertThat(nextTerm.valueOf("tidepool_reconcile_total", "controller", "placement", "result", "error")).isZero();
    }

    @Test
    void aFollowerSendsHostAgentsToTheLeaderWhichHearsTheirHeartbeats() throws Exception {
        startCluster(3);
        assertThat(apply(nodes.get(0), nodes.get(0).adminToken(), "shop").statusCode()).isEqualTo(200);
        ControlPlane leader = nodes.stream().filter(n -> n.store().leadership().isLeader()).findFirst().orElseThrow();
        List<ControlPlane> followers = nodes.stream().filter(n -> n != leader).toList();
        String leaderId = leader.store().leadership().leaderId().orElseThrow();
        HttpResponse<String> made = post(followers.get(0), followers.get(0).adminToken(), "/api/v1/tokens", "{\"host\": \"h1\"}");
        String token = json.readTree(made.body()).get("token").asText();
        Await.until(Duration.ofSeconds(30), "the leader's controllers", () -> leader.leaderTelemetry() != null);

        HttpResponse<String> refused = post(followers.get(0), token, "/api/v1/hosts/h1/heartbeat", "{\"at\": \"2026-11-23T10:00:00Z\"}");

        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(json.readTree(refused.body()).get("error").asText()).isEqualTo("node n" + (nodes.indexOf(followers.get(0)) + 1)
                + " does not lead the control plane; node " + leaderId + " does: send heartbeats and upscale requests to it");
        List<URI> followersFirst = List.of(uri(followers.get(0), ""), uri(followers.get(1), ""), uri(leader, ""));
        try (RestLink link = RestLink.connect(followersFirst, token, "h1")) {
            link.register(new Host(ObjectMeta.named("h1"), new Host.Spec("eu-1a",
                    new HostShape(MilliCpu.ofCpus(16), Bytes.ofGibibytes(64)), false), null));
            Instant at = Instant.parse("2026-11-23T10:00:01Z");
            Await.until(Duration.ofSeconds(30), "a heartbeat through the link", () -> {
                link.heartbeat("h1", at, Map.of());
                return true;
            });

            assertThat(leader.leaderTelemetry().lastHeartbeat("h1")).contains(at);
        }
    }

    private void startCluster(int size) throws Exception {
        List<Peer> peers = new ArrayList<>();
        for (int i = 1; i <= size; i++) {
            peers.add(new Peer("n" + i, "127.0.0.1:" + LoopbackPort.free()));
        }
        // Each start waits for a leader, which needs a majority: start them together.
        List<CompletableFuture<ControlPlane>> starting = peers.stream()
                .map(p -> CompletableFuture.supplyAsync(() -> start(p, peers)))
                .toList();
        for (CompletableFuture<ControlPlane> node : starting) {
            nodes.add(node.get());
        }
        Await.until(Duration.ofSeconds(60), "one leader",
                () -> nodes.stream().filter(n -> n.store().leadership().isLeader()).count() == 1);
    }

    private ControlPlane start(Peer self, List<Peer> peers) {
        try {
            return ControlPlane.start(new ControlPlane.Config(self.id(), tmp.resolve(self.id()), peers, "127.0.0.1", 0));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> apply(ControlPlane node, String token, String endpoint) {
        try {
            byte[] body = json.writeValueAsBytes(Map.of("files",
                    List.of(Map.of("source", "fleet.yaml", "text", MANIFEST.formatted(endpoint))), "dryRun", false));
            return http.send(HttpRequest.newBuilder(uri(node, "/api/v1/apply"))
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> get(ControlPlane node, String token, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(node, path)).header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(ControlPlane node, String token, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(node, path)).header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private Exposition scrape(ControlPlane node) {
        try {
            HttpResponse<String> response = get(node, node.adminToken(), "/metrics");
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            return Exposition.parse(response.body());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static URI uri(ControlPlane node, String path) {
        return URI.create("http://127.0.0.1:" + node.httpPort() + path);
    }

}
