package io.tidepool.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tidepool.api.codec.ManifestCodec;
import io.tidepool.manifests.source.ManifestFile;
import io.tidepool.registry.ResourceRegistry;
import io.tidepool.server.Cli;
import io.tidepool.server.api.ApiServer;
import io.tidepool.server.apply.ManifestApplier;
import io.tidepool.server.auth.TokenOwner;
import io.tidepool.server.auth.TokenRegistry;
import io.tidepool.server.metrics.ServerMetrics;
import io.tidepool.store.Await;
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
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The console's routes over real HTTP, on the in-memory store, as a node that does not lead. */
@Timeout(60)
class ConsoleRoutesTest {
    private static final String ADMIN = "tp_admin-token";
    private static final String CELL = """
            apiVersion: tidepool.io/v1
            kind: Cell
            metadata: {name: local}
            spec: {hostTemplate: {cpus: 16, memory: 64Gi}}
            """;
    private static final String ENDPOINT = """
            apiVersion: tidepool.io/v1
            kind: Endpoint
            metadata: {name: %s}
            spec: {cell: local, compute: {minCu: 0.25, maxCu: %s}}
            """;

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private InMemoryStore store;
    private TokenRegistry tokens;
    private ManifestApplier applier;
    private ApiServer server;

    @BeforeEach
    void start() {
        store = new InMemoryStore();
        tokens = new TokenRegistry(store, Clock.systemUTC());
        tokens.register(TokenOwner.admin("test"), ADMIN);
        applier = new ManifestApplier(new ResourceRegistry(store), new ManifestCodec(), Clock.systemUTC());
        server = ApiServer.start(new ApiServer.Settings("n1", "127.0.0.1", 0, store, applier, tokens, new ServerMetrics(store), () -> null));
    }

    @AfterEach
    void stop() {
        server.close();
        store.close();
    }

    @Test
    void theLinkLogsInOnceWithASessionCookieAndAUsedOrUnknownLinkSaysSo() throws Exception {
        String path = server.newConsoleLoginPath();
        assertThat(path).startsWith("/console/login?code=tp_");

        HttpResponse<String> login = get(path, null);
        assertThat(login.statusCode()).isEqualTo(200);
        String cookie = login.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).startsWith(ConsoleLogin.COOKIE + "=tp_").contains("; Path=/", "; HttpOnly", "; SameSite=Strict",
                "; Max-Age=" + ConsoleLogin.SESSION_LIFETIME.toSeconds());
        assertThat(login.headers().firstValue("Referrer-Policy")).contains("no-referrer");
        assertThat(login.body()).contains("http-equiv=\"refresh\"", "url=/console/");
        String session = cookie.substring(0, cookie.indexOf(';'));

        HttpResponse<String> again = get(path, null);
        assertThat(again.statusCode()).isEqualTo(410);
        assertThat(again.body()).contains("This login link was already used", "tidepool console-link");
        assertThat(again.headers().firstValue("Set-Cookie")).isEmpty();

        HttpResponse<String> unknown = get("/console/login?code=tp_made-up", null);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("not valid on this cluster");

        HttpResponse<String> page = send(request("/console/endpoints").header("Cookie", session).GET());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<script src=\"/console/assets/endpoints.js\">");
        assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("script-src 'self'");
    }

    @Test
    void withoutASessionAPageGoesToTheLoginPageAndAViewAnswers401() throws Exception {
        HttpResponse<String> page = get("/console/cells", null);
        assertThat(page.statusCode()).isEqualTo(302);
        assertThat(page.headers().firstValue("Location")).contains("/console/login");

        HttpResponse<String> loginPage = get("/console/login", null);
        assertThat(loginPage.statusCode()).isEqualTo(401);
        assertThat(loginPage.body()).contains("Log in with the link that <code>tidepool up</code> printed");

        assertThat(get("/console/api/endpoints", null).statusCode()).isEqualTo(401);
        assertThat(get("/console/api/endpoints", tokens.issue(TokenOwner.host("db-1"))).statusCode())
                .as("a host agent's token").isEqualTo(401);
        assertThat(get("/console/assets/console.css", null).statusCode()).as("static files need no session").isEqualTo(200);
        assertThat(get("/console/assets/..%2F..%2Fetc%2Fpasswd", null).statusCode()).isEqualTo(404);
    }

    @Test
    void aSessionReadsTheConsoleButNotTheApiAndEndsAtLogout() throws Exception {
        String session = logIn();
        assertThat(send(request("/console/api/overview").header("Cookie", session).GET()).statusCode()).isEqualTo(200);
        assertThat(send(request("/api/v1/endpoints").header("Authorization", "Bearer " + session.substring(session.indexOf('=') + 1)).GET())
                .statusCode()).as("a session is no API token").isEqualTo(403);

        HttpResponse<String> logout = send(request("/console/logout").header("Cookie", session).POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(logout.statusCode()).isEqualTo(303);
        assertThat(logout.headers().firstValue("Set-Cookie").orElseThrow()).contains("Max-Age=0");
        assertThat(send(request("/console/api/overview").header("Cookie", session).GET()).statusCode()).isEqualTo(401);
    }

    @Test
    void onlyAnAdminMakesALoginLink() throws Exception {
        HttpResponse<String> made = send(request("/api/v1/console-links").header("Authorization", "Bearer " + ADMIN)
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(made.statusCode()).isEqualTo(201);
        assertThat(json.readTree(made.body()).get("path").asText()).startsWith("/console/login?code=tp_");
        assertThat(json.readTree(made.body()).get("expiresAt").asText()).endsWith("Z");

        String agent = tokens.issue(TokenOwner.host("db-1"));
        assertThat(send(request("/api/v1/console-links").header("Authorization", "Bearer " + agent)
                .POST(HttpRequest.BodyPublishers.noBody())).statusCode()).isEqualTo(403);
    }

    @Test
    void consoleLinkPrintsALinkThatLogsIn() {
        Cli.Run run = new Cli("http://127.0.0.1:" + server.port(), ADMIN).run("console-link");

        assertThat(run.exitCode()).as(run.err()).isZero();
        String link = run.out().trim();
        assertThat(link).startsWith("http://127.0.0.1:" + server.port() + "/console/login?code=tp_");
        assertThat(run.err()).contains("works once, until");
        assertThat(get(link.substring(link.indexOf("/console/")), null).headers().firstValue("Set-Cookie")).isPresent();
    }

    @Test
    void pagesAndSearchesEndpointsAndRefusesBadQueries() throws Exception {
        List<String> documents = new ArrayList<>(List.of(CELL));
        for (int i = 0; i < 120; i++) {
            documents.add(ENDPOINT.formatted("shop-" + String.format("%03d", i), "1"));
        }
        documents.add(ENDPOINT.formatted("blog", "1"));
        apply(documents.toArray(String[]::new));
        Await.until(Duration.ofSeconds(10), "the index to hold every endpoint",
                () -> view("/console/api/endpoints").get("total").asInt() == 121);

        JsonNode second = view("/console/api/endpoints?q=SHOP-&offset=50&limit=50");
        assertThat(second.get("total").asInt()).isEqualTo(120);
        assertThat(second.get("items")).hasSize(50);
        assertThat(second.get("items").get(0).get("name").asText()).isEqualTo("shop-050");
        assertThat(second.get("items").get(0).get("phase").asText()).isEqualTo("Pending");
        assertThat(view("/console/api/endpoints?q=blo").get("items").findValuesAsText("name")).containsExactly("blog");
        assertThat(view("/console/api/endpoints?phase=running").get("total").asInt()).isZero();
        assertThat(view("/console/api/endpoints?cell=elsewhere").get("total").asInt()).isZero();

        HttpResponse<String> badPhase = get("/console/api/endpoints?phase=Sleeping", ADMIN);
        assertThat(badPhase.statusCode()).isEqualTo(400);
        assertThat(badPhase.body()).contains("phase must be one of Pending, Running");
        assertThat(get("/console/api/endpoints?limit=100000", ADMIN).body()).contains("holds 1 to 500 items");
        assertThat(get("/console/api/endpoints?offset=-1", ADMIN).statusCode()).isEqualTo(400);
        assertThat(get("/console/api/hosts?sort=age", ADMIN).body()).contains("sort must be name or fill");
        assertThat(get("/console/api/endpoints/nobody", ADMIN).statusCode()).isEqualTo(404);
    }

    @Test
    void anEndpointsViewSaysTheTimelineIsOnTheLeader() throws Exception {
        apply(CELL, ENDPOINT.formatted("shop", "2"));
        Await.until(Duration.ofSeconds(10), "shop in the index", () -> get("/console/api/endpoints/shop", ADMIN).statusCode() == 200);

        JsonNode shop = view("/console/api/endpoints/shop");

        assertThat(shop.at("/object/spec/compute/maxCu").asDouble()).isEqualTo(2);
        assertThat(shop.at("/timeline/time")).isEmpty();
        assertThat(shop.get("note").asText()).contains("this node (n1) does not lead");
    }

    @Test
    void aLiveViewSendsTheViewAtOnceAndAgainWhenWhatItShowsChanges() throws Exception {
        apply(CELL, ENDPOINT.formatted("shop", "1"));
        Await.until(Duration.ofSeconds(10), "shop in the index", () -> view("/console/api/endpoints").get("total").asInt() == 1);
        HttpResponse<InputStream> stream = http.send(request("/console/api/endpoints?q=sh&watch=true")
                .header("Authorization", "Bearer " + ADMIN).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(stream.statusCode()).isEqualTo(200);
        assertThat(stream.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/event-stream");

        try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
            JsonNode first = nextView(reader);
            assertThat(first.get("items").findValuesAsText("name")).containsExactly("shop");
            apply(ENDPOINT.formatted("blog", "1"));
            apply(ENDPOINT.formatted("shopfront", "1"));
            JsonNode second = nextView(reader);
            assertThat(second.get("items").findValuesAsText("name"))
                    .as("blog does not match the search, so only shopfront's arrival sends the view again")
                    .containsExactly("shop", "shopfront");
        }
    }

    private JsonNode nextView(BufferedReader reader) throws Exception {
        String line;
        boolean view = false;
        while ((line = reader.readLine()) != null) {
            if (line.equals("event: view")) {
                view = true;
            } else if (view && line.startsWith("data: ")) {
                return json.readTree(line.substring("data: ".length()));
            }
        }
        throw new AssertionError("the stream ended");
    }

    private String logIn() throws Exception {
        String cookie = get(server.newConsoleLoginPath(), null).headers().firstValue("Set-Cookie").orElseThrow();
        return cookie.substring(0, cookie.indexOf(';'));
    }

    private void apply(String... documents) {
        List<ManifestFile> files = new ArrayList<>();
        for (int i = 0; i < documents.length; i++) {
            files.add(new ManifestFile("file" + i + ".yaml", documents[i]));
        }
        var response = applier.apply(files, false);
        assertThat(response.errors()).isEmpty();
    }

    private JsonNode view(String path) {
        HttpResponse<String> response = get(path, ADMIN);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        try {
            return json.readTree(response.body());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private HttpResponse<String> get(String path, String bearer) {
        HttpRequest.Builder request = request(path).GET();
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return send(request);
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).timeout(Duration.ofSeconds(30));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
