package io.tidepool.manifests.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tidepool.api.agent.HostToken;
import io.tidepool.api.agent.HostTokenRequest;
import io.tidepool.api.codec.ResourceJson;
import io.tidepool.api.resource.Kind;
import io.tidepool.api.resource.Resource;
import io.tidepool.manifests.apply.ApplyRequest;
import io.tidepool.manifests.apply.ApplyResponse;
import io.tidepool.manifests.apply.DriftReport;
import io.tidepool.manifests.apply.FailedAttempt;
import io.tidepool.manifests.apply.PlanResponse;
import io.tidepool.manifests.apply.Progress;
import io.tidepool.manifests.describe.Description;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The CLI's view of the REST API of DESIGN section 9. */
public final class ApiClient {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
    private static final int PAGE_SIZE = 1000;

    private final URI server;
    private final String token;
    private final HttpClient http;
    private final ObjectMapper json;

    public ApiClient(String server, String token) {
        this.server = URI.create(server.endsWith("/") ? server : server + "/");
        this.token = token;
        this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
        this.json = ResourceJson.mapper();
    }

    public URI server() {
        return server;
    }

    /** Applies (or dry-runs) a manifest set; validation errors come back in the response, not as an exception. */
    public ApplyResponse apply(ApplyRequest request) {
        HttpResponse<byte[]> response = send(post("api/v1/apply", request));
        if (response.statusCode() == 200 || response.statusCode() == 422) {
            return read(response, ApplyResponse.class);
        }
        throw failure(response);
    }

    /** What an apply would change and what the fleet would do about it; validation errors come back in the answer. */
    public PlanResponse plan(ApplyRequest request) {
        HttpResponse<byte[]> response = send(post("api/v1/plan", request));
        if (response.statusCode() == 200 || response.statusCode() == 422) {
            return read(response, PlanResponse.class);
        }
        throw failure(response);
    }

    /** How far the fleet has come with these endpoints ({@code apply --wait}). */
    public Progress progress(Progress.Request request) {
        HttpResponse<byte[]> response = send(post("api/v1/progress", request));
        if (response.statusCode() != 200) {
            throw failure(response);
        }
        return read(response, Progress.class);
    }

    /** Which objects of an apply set differ from what it last applied; empty when the set does not exist. */
    public Optional<DriftReport> drift(String set) {
        HttpResponse<byte[]> response = send(get(objectPath(Kind.APPLY_SET, set) + "/drift"));
        if (response.statusCode() == 404) {
            return Optional.empty();
        }
        if (response.statusCode() != 200) {
            throw failure(response);
        }
        return Optional.of(read(response, DriftReport.class));
    }

    /** Records in an apply set's status a sync attempt that never reached an apply (a failed fetch). */
    public void recordAttempt(String set, FailedAttempt attempt) {
        HttpResponse<byte[]> response = send(post(objectPath(Kind.APPLY_SET, set) + "/attempts", attempt));
        if (response.statusCode() != 200) {
            throw failure(response);
        }
    }

    /** Every object of a kind, following pages until the last. */
    public List<Resource> list(Kind kind) {
        List<Resource> items = new ArrayList<>();
        String next = null;
        do {
            String path = "api/v1/" + kind.plural() + "?limit=" + PAGE_SIZE
                    + (next == null ? "" : "&continue=" + URLEncoder.encode(next, StandardCharsets.UTF_8));
            HttpResponse<byte[]> response = send(get(path));
            if (response.statusCode() != 200) {
                throw failure(response);
            }
            JsonNode page = read(response, JsonNode.class);
            for (JsonNode item : page.path("items")) {
                items.add(decode(item));
            }
            next = page.hasNonNull("continue") ? page.get("continue").asText() : null;
        } while (next != null);
        return items;
    }

    public Optional<Resource> get(Kind kind, String name) {
        HttpResponse<byte[]> response = send(get(objectPath(kind, name)));
        if (response.statusCode() == 404) {
            return Optional.empty();
        }
        if (response.statusCode() != 200) {
            throw failure(response);
        }
        return Optional.of(decode(read(response, JsonNode.class)));
    }

    /** Deletes an object; empty when it did not exist. */
    public Optional<Resource> delete(Kind kind, String name) {
        HttpResponse<byte[]> response = send(request(objectPath(kind, name)).DELETE().build());
        if (response.statusCode() == 404) {
            return Optional.empty();
        }
        if (response.statusCode() != 200) {
            throw failure(response);
        }
        return Optional.of(decode(read(response, JsonNode.class)));
    }

    /** The object with what belongs to it, its events and the leader's latest decisions; empty when it does not exist. */
    public Optional<Description> describe(Kind kind, String name) {
        HttpResponse<byte[]> response = send(get(objectPath(kind, name) + "/describe"));
        if (response.statusCode() == 404) {
            return Optional.empty();
        }
        if (response.statusCode() != 200) {
            throw failure(response);
        }
        return Optional.of(read(response, Description.class));
    }

    /**
     * Asks a suspended endpoint to start again; empty when it does not exist. One that is not
     * suspended is refused with a 409 {@link ApiException}.
     */
    public Optional<Resource> resume(String endpoint) {
        HttpResponse<byte[]> response = send(request(objectPath(Kind.ENDPOINT, endpoint) + "/resume")
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        if (response.statusCode() == 404) {
            return Optional.empty();
        }
        if (response.statusCode() != 202) {
            throw failure(response);
        }
        return Optional.of(decode(read(response, JsonNode.class)));
    }

    /** Makes a token for one host's agent; the server answers it this once and keeps only its hash. */
    public HostToken createHostToken(String host) {
        HttpResponse<byte[]> response = send(post("api/v1/tokens", new HostTokenRequest(host)));
        if (response.statusCode() != 201) {
            throw failure(response);
        }
        return read(response, HostToken.class);
    }

    /** Makes a one-time console login link (admins only); the server keeps only the code's hash. */
    public ConsoleLink createConsoleLink() {
        HttpResponse<byte[]> response = send(request("api/v1/console-links").POST(HttpRequest.BodyPublishers.noBody()).build());
        if (response.statusCode() != 201) {
            throw failure(response);
        }
        return read(response, ConsoleLink.class);
    }

    private static String objectPath(Kind kind, String name) {
        return "api/v1/" + kind.plural() + "/" + URLEncoder.encode(name, StandardCharsets.UTF_8);
    }

    private HttpRequest get(String path) {
        return request(path).GET().build();
    }

    private HttpRequest post(String path, Object body) {
        try {
            return request(path)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)))
                    .build();
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode request: " + e.getMessage(), e);
        }
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(server.resolve(path))
                .timeout(REQUEST_TIMEOUT)
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/json");
    }

    private HttpResponse<byte[]> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new ApiException("cannot reach the Tidepool server at " + server + ": "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException("interrupted while waiting for " + server, e);
        }
    }

    private <T> T read(HttpResponse<byte[]> response, Class<T> type) {
        try {
            return json.readValue(response.body(), type);
        } catch (IOException e) {
            throw new ApiException(response.statusCode(), "unreadable answer from " + response.uri() + ": " + e.getMessage());
        }
    }

    private Resource decode(JsonNode node) {
        try {
            return ResourceJson.decode(json.writeValueAsBytes(node));
        } catch (IOException e) {
            throw new ApiException(200, "unreadable object from the server: " + e.getMessage());
        }
    }

    private ApiException failure(HttpResponse<byte[]> response) {
        String message;
        try {
            JsonNode body = json.readTree(response.body());
            message = body.path("error").asText(new String(response.body(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            message = new String(response.body(), StandardCharsets.UTF_8);
        }
        return new ApiException(response.statusCode(), message);
    }
}
