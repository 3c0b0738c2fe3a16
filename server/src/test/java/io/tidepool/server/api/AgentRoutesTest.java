package io.tidepool.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tidepool.api.quantity.Cu;
import io.tidepool.api.resource.Compute;
import io.tidepool.api.resource.Kind;
import io.tidepool.api.resource.ObjectMeta;
import io.tidepool.registry.ResourceRegistry;
import io.tidepool.registry.ResourceTxn;
import io.tidepool.server.LocalFleet;
import io.tidepool.sim.workload.Idle;
import io.tidepool.store.Await;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The routes host agents call and what a host's token may do, on a real control plane over HTTP. */
@Timeout(120)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AgentRoutesTest {
    private static final String STATUS = "{\"phase\": \"Running\", \"cu\": 0.25}";
    private static final String HEARTBEAT = "{\"at\": \"2026-11-23T10:00:00Z\"}";
    private static final String UPSCALE = "{\"at\": \"2026-11-23T10:00:00Z\", \"neededBytes\": 2147483648}";

    @TempDir
    static Path tmp;
    private final HttpClient http = HttpClient.newHttpClient();
    private LocalFleet fleet;
    private ResourceRegistry registry;

    @BeforeAll
    void start() throws Exception {
        fleet = LocalFleet.start(tmp, 0, endpoint -> Idle.TYPICAL);
        registry = new ResourceRegistry(fleet.plane().store());
        // Heartbeats and upscale requests need the leader's controllers, which start a moment after the store.
        Await.until(Duration.ofSeconds(30), "the leader's controllers", () -> fleet.plane().leaderTelemetry() != null);
    }

    @AfterAll
    void stop() {
        fleet.close();
    }

    @Test
    void aHostsTokenMayDoWhatItsAgentDoesForItsOwnHost() throws Exception {
        String token = token("own-1");

        assertThat(send("POST", "/api/v1/hosts/own-1/register", host("own-1"), token).statusCode()).isEqualTo(201);
        assertThat(send("POST", "/api/v1/hosts/own-1/heartbeat", HEARTBEAT.replace("2026-11-23T10:00:00Z", Instant.now().toString()),
                token).statusCode()).isEqualTo(200);
        // Placed once the host is alive, as placement would: host health evicts computes from a host not ready.
        create(compute("own-a", "own-1"));
        assertThat(send("GET", "/api/v1/computes?host=own-1", null, token).statusCode()).isEqualTo(200);
        assertThat(send("PUT", "/api/v1/computes/own-a/status", STATUS, token).statusCode()).isEqualTo(200);
        HttpResponse<String> asked = send("POST", "/api/v1/computes/own-a/upscale-request", UPSCALE, token);
        assertThat(asked.statusCode()).as(asked.body()).isEqualTo(202);
    }

    @Test
    void aHostsTokenIsRefusedEverywhereElse() throws Exception {
        create(compute("other-a", "other-2"));
        String token = token("other-1");

        List<HttpResponse<String>> refused = List.of(
                send("PUT", "/api/v1/computes/other-a/status", STATUS, token),
                send("POST", "/api/v1/computes/other-a/upscale-request", UPSCALE, token),
                send("GET", "/api/v1/computes?host=other-2", null, token),
                send("GET", "/api/v1/computes?host=other-2&watch=true", null, token),
                send("GET", "/api/v1/computes", null, token),
                send("GET", "/api/v1/computes/other-a", null, token),
                send("POST", "/api/v1/hosts/other-2/register", host("other-2"), token),
                send("POST", "/api/v1/hosts/other-2/heartbeat", HEARTBEAT, token),
                send("POST", "/api/v1/apply", "{\"files\": [], \"dryRun\": true}", token),
                send("GET", "/api/v1/endpoints", null, token),
                send("DELETE", "/api/v1/cells/local", null, token),
                send("POST", "/api/v1/tokens", "{\"host\": \"other-2\"}", token),
                send("GET", "/metrics", null, token));

        assertThat(refused).allSatisfy(response -> assertThat(response.statusCode()).as(response.uri().toString()).isEqualTo(403));
        assertThat(error(refused.get(0))).isEqualTo("the token of host other-1's agent may not report the status of"
                + " Compute/other-a (it is on host other-2): it may only register and heartbeat host other-1, list and"
                + " watch computes with ?host=other-1, and report the status of and ask memory for the computes on it");
        assertThat(error(refused.get(8))).startsWith("the token of host other-1's agent may not POST /api/v1/apply:");
        assertThat(registry.get(Compute.class, Kind.COMPUTE, "other-a").orElseThrow().status()).isNull();
        assertThat(registry.get(Kind.HOST, "other-2")).isEmpty();
    }

    @Test
    void registeringRefusesABodyForAnotherHostOrACellThatDoesNotExist() throws Exception {
        String admin = fleet.plane().adminToken();

        HttpResponse<String> mismatch = send("POST", "/api/v1/hosts/reg-1/register", host("reg-2"), admin);
        HttpResponse<String> noCell = send("POST", "/api/v1/hosts/reg-1/register", host("reg-1").replace("local", "nowhere"), admin);
        HttpResponse<String> noCapacity = send("POST", "/api/v1/hosts/reg-1/register",
                host("reg-1").replace(", \"capacity\": {\"cpus\": 8, \"memory\": \"32Gi\"}", ""), admin);

        assertThat(mismatch.statusCode()).isEqualTo(400);
        assertThat(error(mismatch)).startsWith("metadata.name: the body declares host reg-2 but the path names reg-1");
        assertThat(noCell.statusCode()).isEqualTo(400);
        assertThat(error(noCell)).startsWith("spec.cell: ").contains("nowhere");
        assertThat(noCapacity.statusCode()).isEqualTo(400);
        assertThat(error(noCapacity)).startsWith("spec.capacity: missing capacity");
        assertThat(registry.get(Kind.HOST, "reg-1")).isEmpty();
    }

    @Test
    void aStatusThatCannotBeReadIsRefusedNamingTheFieldAndNothingIsWritten() throws Exception {
        create(compute("bad-a", "bad-1"));
        String token = token("bad-1");

        HttpResponse<String> misspelt = send("PUT", "/api/v1/computes/bad-a/status", "{\"phase\": \"Runing\"}", token);
        HttpResponse<String> unknown = send("PUT", "/api/v1/computes/bad-a/status", "{\"phase\": \"Running\", \"cpu\": 1}", token);
        HttpResponse<String> gone = send("PUT", "/api/v1/computes/bad-gone/status", STATUS, token);

        assertThat(misspelt.statusCode()).isEqualTo(400);
        assertThat(error(misspelt)).contains("at phase").contains("Runing");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(error(unknown)).contains("\"cpu\"");
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(registry.get(Compute.class, Kind.COMPUTE, "bad-a").orElseThrow().status()).isNull();
    }

    @Test
    void aTokenIsMadeOnlyForAHostNameThatCanBeOne() throws Exception {
        HttpResponse<String> refused = send("POST", "/api/v1/tokens", "{\"host\": \"DB_1\"}", fleet.plane().adminToken());
        HttpResponse<String> made = send("POST", "/api/v1/tokens", "{\"host\": \"db-1\"}", fleet.plane().adminToken());

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(error(refused)).contains("host: expected a DNS label").contains("did you mean db-1?");
        assertThat(made.statusCode()).isEqualTo(201);
        assertThat(fleet.tree(made.body()).get("host").asText()).isEqualTo("db-1");
        assertThat(fleet.tree(made.body()).get("token").asText()).startsWith("tp_");
    }

    @Test
    void onlyComputesCanBeListedByHost() throws Exception {
        HttpResponse<String> response = send("GET", "/api/v1/endpoints?host=h1", null, fleet.plane().adminToken());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(error(response)).isEqualTo("host: only computes can be filtered by host, not endpoints");
    }

    @Test
    void listsOnlyTheComputesOfTheHostAsked() throws Exception {
        create(compute("list-a", "list-1"));
        create(compute("list-b", "list-2"));

        JsonNode list = fleet.tree(send("GET", "/api/v1/computes?host=list-1", null, token("list-1")).body());

        assertThat(list.get("items").findValuesAsText("name")).containsExactly("list-a");
        assertThat(list.get("revision").asLong()).isPositive();
    }

    @Test
    @Timeout(60)
    void aWatchByHostTellsOfAComputeThatLeavesAsADeleteAndOfNoOtherHostsComputes() throws Exception {
        create(compute("watch-a", "watch-1"));
        String token = token("watch-1");
        long from = fleet.tree(send("GET", "/api/v1/computes?host=watch-1", null, token).body()).get("revision").asLong() + 1;
        HttpResponse<InputStream> stream = http.send(request("GET", "/api/v1/computes?host=watch-1&watch=true&revision=" + from,
                null, token).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(stream.statusCode()).isEqualTo(200);

        create(compute("watch-b", "watch-2"));
        create(compute("watch-c", "watch-1"));
        Compute a = registry.get(Compute.class, Kind.COMPUTE, "watch-a").orElseThrow();
        write(new ResourceTxn().update(a, compute("watch-a", "watch-2").withMetadata(a.metadata())));

        try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
            List<String> created = nextEvent(reader);
            List<String> left = nextEvent(reader);
            assertThat(created).contains("event: PUT");
            assertThat(fleet.tree(dataOf(created)).at("/object/metadata/name").asText()).isEqualTo("watch-c");
            assertThat(left).contains("event: DELETE");
            JsonNode object = fleet.tree(dataOf(left)).get("object");
            assertThat(object.at("/metadata/name").asText()).isEqualTo("watch-a");
            assertThat(object.has("spec")).as("nothing of where it went").isFalse();
        }
    }

    private String token(String host) throws Exception {
        HttpResponse<String> created = send("POST", "/api/v1/tokens", "{\"host\": \"" + host + "\"}", fleet.plane().adminToken());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return fleet.tree(created.body()).get("token").asText();
    }

    private static String host(String name) {
        return "{\"apiVersion\": \"tidepool.io/v1\", \"kind\": \"Host\", \"metadata\": {\"name\": \"" + name + "\"},"
                + " \"spec\": {\"cell\": \"local\", \"capacity\": {\"cpus\": 8, \"memory\": \"32Gi\"}}}";
    }

    private static Compute compute(String name, String host) {
        return new Compute(ObjectMeta.named(name), new Compute.Spec("shop", host, Cu.QUARTER, Compute.Role.primary, 1, null), null);
    }

    private void create(Compute compute) {
        write(new ResourceTxn().create(compute));
    }

    private void write(ResourceTxn txn) {
        assertThat(registry.store().txn(txn.toTxn()).succeeded()).isTrue();
    }

    private String error(HttpResponse<String> response) {
        return fleet.tree(response.body()).get("error").asText();
    }

    private HttpResponse<String> send(String method, String path, String body, String token) throws Exception {
        return http.send(request(method, path, body, token).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String method, String path, String body, String token) {
        return HttpRequest.newBuilder(URI.create(fleet.url() + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    }

    private static List<String> nextEvent(BufferedReader reader) throws Exception {
        List<String> lines = new ArrayList<>();
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
