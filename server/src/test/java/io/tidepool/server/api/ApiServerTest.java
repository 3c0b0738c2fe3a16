package io.tidepool.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tidepool.api.codec.ManifestCodec;
import io.tidepool.api.resource.Kind;
import io.tidepool.manifests.apply.ApplyRequest;
import io.tidepool.manifests.source.ManifestFile;
import io.tidepool.registry.ResourceKeys;
import io.tidepool.registry.ResourceRegistry;
import io.tidepool.server.apply.ManifestApplier;
import io.tidepool.server.auth.TokenOwner;
import io.tidepool.server.auth.TokenRegistry;
import io.tidepool.server.metrics.ServerMetrics;
import io.tidepool.store.memory.InMemoryStore;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The REST API over real HTTP, on the in-memory store (the Ratis store has its own contract suite). */
class ApiServerTest {
    static final String TOKEN = "tp_test-token";
    static final String CELL = """
            apiVersion: tidepool.io/v1
            kind: Cell
            metadata: {name: local}
            spec:
              hostTemplate: {cpus: 16, memory: 64Gi}
            """;
    static final String SHOP = """
            apiVersion: tidepool.io/v1
            kind: Endpoint
            metadata: {name: shop, labels: {team: web}}
            spec:
              cell: local
              compute: {minCu: 0.25, maxCu: %s}
            """;

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private InMemoryStore store;
    private ApiServer server;

    @BeforeEach
    void start() {
        store = new InMemoryStore();
        TokenRegistry tokens = new TokenRegistry(store, Clock.systemUTC());
        tokens.register(TokenOwner.admin("test"), TOKEN);
        ManifestApplier applier = new ManifestApplier(new ResourceRegistry(store), new ManifestCodec(), Clock.systemUTC());
        server = ApiServer.start(new ApiServer.Settings("n1", "127.0.0.1", 0, store, applier, tokens, new ServerMetrics(store), () -> null));
    }

    @AfterEach
    void stop() {
        server.close();
        store.close();
    }

    @Test
    void refusesRequestsWithoutAValidToken() throws Exception {
        assertThat(send(request("/api/v1/endpoints").GET(), null).statusCode()).isEqualTo(401);
        HttpResponse<String> wrong = send(request("/api/v1/endpoints").GET(), "tp_wrong");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(json.readTree(wrong.body()).get("error").asText()).contains("not valid");
        assertThat(send(request("/metrics").GET(), null).statusCode()).isEqualTo(401);
    }

    @Test
    void answersHealthChecksWithoutAToken() throws Exception {
        HttpResponse<String> health = send(request("/healthz").GET(), null);

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(json.readTree(health.body()).get("status").asText()).isEqualTo("ok");
    }

    @Test
    void aNodeThatDoesNotLeadAnswersATimelineWithANoteInsteadOfHistory() throws Exception {
        apply(false, CELL, SHOP.formatted("2"));

        JsonNode timeline = getJson("/api/v1/endpoints/shop/timeline");

        assertThat(timeline.get("time")).isEmpty();
        assertThat(timeline.get("decisions")).isEmpty();
        assertThat(timeline.get("note").asText()).startsWith("timelines are kept in the leader's memory, and this node (n1) does not lead");
    }

    @Test
    void appliesASetThenReportsItUnchangedThenConfiguredWithTheDiff() throws Exception {
        JsonNode first = apply(false, CELL, SHOP.formatted("2"));
        assertThat(first.get("results").findValuesAsText("action")).containsExactly("created", "created");

        JsonNode again = apply(false, CELL, SHOP.formatted("2"));
        assertThat(again.get("results").findValuesAsText("action")).containsExactly("unchanged", "unchanged");
        assertThat(again.get("revision").asLong()).isEqualTo(first.get("revision").asLong());

        JsonNode changed = apply(true, CELL, SHOP.formatted("4"));
        assertThat(changed.get("results").findValuesAsText("action")).containsExactly("unchanged", "configured");
        assertThat(changed.get("results").get(1).get("diff").asText()).contains("-    maxCu: 2").contains("+    maxCu: 4");
        assertThat(getJson("/api/v1/endpoints/shop").at("/spec/compute/maxCu").asText()).isEqualTo("2");
    }

    @Test
    void aSetTooLargeForOneTransactionIsRefusedAsTooLargeNotAsAnOutage() throws Exception {
        StringBuilder endpoints = new StringBuilder(CELL);
        for (int i = 0; i < 7_000; i++) {
            endpoints.append("---\n").append(SHOP.formatted("2").replace("name: shop", "name: e" + i));
        }

        HttpResponse<String> response = post("/api/v1/apply", new ApplyRequest(List.of(
                new ManifestFile("fleet.yaml", endpoints.toString())), false));

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(json.readTree(response.body()).get("error").asText())
                .contains("too large to write in one transaction", "split the manifests");
        assertThat(store.get("/tidepool/v1/endpoints/e0")).as("nothing was written").isEmpty();
    }

    @Test
    void appliesNothingFromASetWithAnErrorAndNamesTheFileAndLine() throws Exception {
        HttpResponse<String> response = post("/api/v1/apply", new ApplyRequest(List.of(
                new ManifestFile("cells.yaml", CELL),
                new ManifestFile("shop.yaml", SHOP.formatted("0.3"))), false));

        assertThat(response.statusCode()).isEqualTo(422);
        JsonNode error = json.readTree(response.body()).get("errors").get(0);
        assertThat(error.get("source").asText()).isEqualTo("shop.yaml");
        assertThat(error.get("line").asInt()).isEqualTo(6);
        assertThat(error.get("field").asText()).isEqualTo("spec.compute.maxCu");
        assertThat(store.range(ResourceKeys.ROOT).items()).isEmpty();
    }

    @Test
    void refusesAnEndpointWhoseCellDoesNotExist() throws Exception {
        HttpResponse<String> response = post("/api/v1/apply",
                new ApplyRequest(List.of(new ManifestFile("shop.yaml", SHOP.formatted("2"))), false));

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(json.readTree(response.body()).get("errors").get(0).get("field").asText()).isEqualTo("spec.cell");
    }

    @Test
    void putsGetsListsAndDeletesOneObject() throws Exception {
        apply(false, CELL);
        HttpResponse<String> created = send(request("/api/v1/endpoints/shop")
                .PUT(HttpRequest.BodyPublishers.ofString(SHOP.formatted("1"))), TOKEN);
        assertThat(created.statusCode()).isEqualTo(201);
        long version = json.readTree(created.body()).at("/metadata/resourceVersion").asLong();
        assertThat(version).isPositive();

        JsonNode list = getJson("/api/v1/endpoints");
        assertThat(list.get("items")).hasSize(1);
        assertThat(list.get("revision").asLong()).isGreaterThanOrEqualTo(version);

        HttpResponse<String> deleted = send(request("/api/v1/endpoints/shop").DELETE(), TOKEN);
        assertThat(deleted.statusCode()).isEqualTo(200);
        assertThat(send(request("/api/v1/endpoints/shop").GET(), TOKEN).statusCode()).isEqualTo(404);
        assertThat(send(request("/api/v1/endpoints/shop").DELETE(), TOKEN).statusCode()).isEqualTo(404);
    }

    @Test
    void refusesAPutAtAStaleResourceVersion() throws Exception {
        apply(false, CELL, SHOP.formatted("1"));
        long version = getJson("/api/v1/endpoints/shop").at("/metadata/resourceVersion").asLong();
        apply(false, CELL, SHOP.formatted("2"));

        String stale = SHOP.formatted("4").replace("labels: {team: web}", "labels: {team: web}, resourceVersion: " + version);
        HttpResponse<String> response = send(request("/api/v1/endpoints/shop").PUT(HttpRequest.BodyPublishers.ofString(stale)), TOKEN);

        assertThat(response.statusCode()).isEqualTo(409);
        assertThat(getJson("/api/v1/endpoints/shop").at("/spec/compute/maxCu").asText()).isEqualTo("2");
    }

    @Test
    void refusesToDeleteACellThatEndpointsStillUse() throws Exception {
        apply(false, CELL, SHOP.formatted("1"));

        HttpResponse<String> response = send(request("/api/v1/cells/local").DELETE(), TOKEN);

        assertThat(response.statusCode()).isEqualTo(409);
        assertThat(json.readTree(response.body()).get("error").asText()).contains("Endpoint/shop");
    }

    @Test
    void refusesToPutKindsThatOnlyTheSystemWrites() throws Exception {
        HttpResponse<String> response = send(request("/api/v1/computes/c1").PUT(HttpRequest.BodyPublishers.ofString("{}")), TOKEN);

        assertThat(response.statusCode()).isEqualTo(405);
    }

    @Test
    void pagesThroughALongList() throws Exception {
        apply(false, CELL);
        for (int i = 0; i < 5; i++) {
            send(request("/api/v1/endpoints/e" + i).PUT(HttpRequest.BodyPublishers.ofString(
                    SHOP.formatted("1").replace("name: shop", "name: e" + i))), TOKEN);
        }
        JsonNode first = getJson("/api/v1/endpoints?limit=2");
        JsonNode second = getJson("/api/v1/endpoints?limit=2&continue=" + first.get("continue").asText());
        JsonNode last = getJson("/api/v1/endpoints?limit=2&continue=" + second.get("continue").asText());

        assertThat(first.get("items").findValuesAsText("name")).containsExactly("e0", "e1");
        assertThat(second.get("items").findValuesAsText("name")).containsExactly("e2", "e3");
        assertThat(last.get("items").findValuesAsText("name")).containsExactly("e4");
        assertThat(last.has("continue")).isFalse();
    }

    @Test
    @Timeout(60)
    void streamsChangesFromARevisionAsServerSentEvents() throws Exception {
        long from = apply(false, CELL).get("revision").asLong() + 1;
        HttpResponse<InputStream> stream = http.send(request("/api/v1/endpoints?watch=true&revision=" + from)
                .header("Authorization", "Bearer " + TOKEN).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(stream.statusCode()).isEqualTo(200);
        apply(false, SHOP.formatted("1"));
        send(request("/api/v1/endpoints/shop").DELETE(), TOKEN);

        try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
            List<String> put = nextEvent(reader);
            List<String> delete = nextEvent(reader);
            assertThat(put).contains("event: PUT", "id: " + from);
            assertThat(json.readTree(dataOf(put)).at("/object/spec/cell").asText()).isEqualTo("local");
            assertThat(delete).contains("event: DELETE", "id: " + (from + 1));
            assertThat(json.readTree(dataOf(delete)).at("/object/metadata/name").asText()).isEqualTo("shop");
        }
    }

    @Test
    void answersGoneForAWatchFromCompactedHistory() throws Exception {
        apply(false, CELL);
        apply(false, SHOP.formatted("1"));
        store.compact(store.currentRevision());

        HttpResponse<String> response = send(request("/api/v1/endpoints?watch=true&revision=1").GET(), TOKEN);

        assertThat(response.statusCode()).isEqualTo(410);
    }

    @Test
    void exposesMetricsInPrometheusText() throws Exception {
        apply(false, CELL);
        HttpResponse<String> metrics = send(request("/metrics").GET(), TOKEN);

        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("tidepool_store_revision " + store.currentRevision() + ".0")
                .contains("tidepool_store_leader 1.0")
                .contains("tidepool_http_requests_total{method=\"POST\",route=\"/api/v1/apply\",status=\"200\"}")
                .contains("tidepool_apply_objects_total{action=\"created\"} 1.0");
    }

    private JsonNode apply(boolean dryRun, String... documents) throws Exception {
        List<ManifestFile> files = new java.util.ArrayList<>();
        for (int i = 0; i < documents.length; i++) {
            files.add(new ManifestFile("file" + i + ".yaml", documents[i]));
        }
        HttpResponse<String> response = post("/api/v1/apply", new ApplyRequest(files, dryRun));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json.readTree(response.body());
    }

    private JsonNode getJson(String path) throws Exception {
        HttpResponse<String> response = send(request(path).GET(), TOKEN);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json.readTree(response.body());
    }

    private HttpResponse<String> post(String path, Object body) throws Exception {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(io.tidepool.api.codec.ResourceJson.mapper().writeValueAsBytes(body))), TOKEN);
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).timeout(Duration.ofSeconds(30));
    }

    private HttpResponse<String> send(HttpRequest.Builder request, String token) throws Exception {
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static List<String> nextEvent(BufferedReader reader) throws Exception {
        List<String> lines = new java.util.ArrayList<>();
        String line;
        while ((line = reader.readLine()) != null) {
            if (line.isEmpty()) {
                if (lines.stream().anyMatch(l -> l.startsWith("event:"))) {
                    return lines;
                }
                lines.clear();
            } else {
                lines.add(line);
            }
        }
        throw new AssertionError("stream ended before an event");
    }

    private static String dataOf(List<String> event) {
        return event.stream().filter(l -> l.startsWith("data: ")).map(l -> l.substring(6)).findFirst().orElseThrow();
    }
}
