package io.tidepool.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tidepool.agent.ComputeDriver;
import io.tidepool.api.codec.ResourceJson;
import io.tidepool.api.quantity.Bytes;
import io.tidepool.api.quantity.MilliCpu;
import io.tidepool.api.resource.HostShape;
import io.tidepool.control.ControlLoop;
import io.tidepool.manifests.apply.ApplyRequest;
import io.tidepool.manifests.source.ManifestFile;
import io.tidepool.server.hosts.LocalHosts;
import io.tidepool.sim.SimDriver;
import io.tidepool.sim.workload.Workload;
import io.tidepool.store.LoopbackPort;
import io.tidepool.store.ratis.Peer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * What {@code tidepool up} runs, in a test: a single-node control plane on real Ratis and RocksDB,
 * serving real HTTP, with host agents on the sim driver stepping on a real-time timer (faster than
 * {@code up}'s, so tests wait less), and the HTTP calls the tests make.
 */
public final class LocalFleet implements AutoCloseable {
    public static final String CELL = """
            apiVersion: tidepool.io/v1
            kind: Cell
            metadata: {name: local}
            spec: {hostTemplate: {cpus: 16, memory: 64Gi}}
            """;
    public static final HostShape HOST_SHAPE = new HostShape(MilliCpu.ofCpus(16), Bytes.ofGibibytes(64));
    private static final Duration STEP = Duration.ofMillis(200);
    private static final Duration START_DELAY = Duration.ofMillis(200);

    private final ControlPlane plane;
    private final LocalHosts hosts;
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = ResourceJson.mapper();

    private LocalFleet(ControlPlane plane, LocalHosts hosts) {
        this.plane = plane;
        this.hosts = hosts;
    }

    /** Starts the control plane, applies {@link #CELL}, then starts {@code hostCount} agents in it. */
    public static LocalFleet start(Path dataDir, int hostCount, Function<String, Workload> workloads) throws IOException {
        return start(dataDir, ControlLoop.Settings.DEFAULT,
                new LocalHosts.Settings("local", hostCount, HOST_SHAPE, STEP, LocalHosts.Settings.LEASE),
                host -> new SimDriver(host, workloads, START_DELAY));
    }

    /** Starts the control plane with these controllers, applies {@link #CELL}, then the hosts on these drivers. */
    public static LocalFleet start(Path dataDir, ControlLoop.Settings controllers, LocalHosts.Settings hostSettings,
                                   Function<String, ComputeDriver> drivers) throws IOException {
        return start(dataDir, controllers, UnaryOperator.identity(), hostSettings, drivers);
    }

    /**
     * As {@link #start(Path, ControlLoop.Settings, LocalHosts.Settings, Function)}, with a variant of
     * the control plane's config (an endpoint proxy, a clock), whose clock the hosts share.
     */
    public static LocalFleet start(Path dataDir, ControlLoop.Settings controllers, UnaryOperator<ControlPlane.Config> variant,
                                   LocalHosts.Settings hostSettings, Function<String, ComputeDriver> drivers)
            throws IOException {
        ControlPlane.Config config = variant.apply(new ControlPlane.Config("n1", dataDir,
                List.of(new Peer("n1", "127.0.0.1:" + LoopbackPort.free())), "127.0.0.1", 0, controllers));
        ControlPlane plane = ControlPlane.start(config);
        try {
            var created = plane.applier().apply(List.of(new ManifestFile("cell.yaml", CELL)), false);
            if (!created.errors().isEmpty()) {
                throw new IllegalStateException(created.errors().get(0).format());
            }
            LocalHosts hosts = LocalHosts.start(plane.store(), plane::leaderTelemetry, hostSettings, drivers, config.clock());
            return new LocalFleet(plane, hosts);
        } catch (RuntimeException e) {
            plane.close();
            throw e;
        }
    }

    /** How often the agents of a test fleet step: faster than {@code up}'s, so tests wait less. */
    public static Duration step() {
        return STEP;
    }

    public ControlPlane plane() {
        return plane;
    }

    public LocalHosts hosts() {
        return hosts;
    }

    public String url() {
        return "http://127.0.0.1:" + plane.httpPort();
    }

    public JsonNode apply(String... documents) {
        List<ManifestFile> files = new java.util.ArrayList<>();
        for (int i = 0; i < documents.length; i++) {
            files.add(new ManifestFile("file" + i + ".yaml", documents[i]));
        }
        HttpResponse<String> response = post("/api/v1/apply", text(new ApplyRequest(files, false)));
        if (response.statusCode() != 200) {
            throw new AssertionError("apply answered " + response.statusCode() + ": " + response.body());
        }
        return tree(response.body());
    }

    public HttpResponse<String> get(String path) {
        return send(request(path).GET());
    }

    public JsonNode getJson(String path) {
        HttpResponse<String> response = get(path);
        if (response.statusCode() != 200) {
            throw new AssertionError("GET " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return tree(response.body());
    }

    public JsonNode tree(String body) {
        try {
            return json.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String text(Object body) {
        try {
            return json.writeValueAsString(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public HttpResponse<String> post(String path, String body) {
        return send(request(path).header("Content-Type", "application/json")
                .POST(body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)));
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + plane.adminToken());
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public void close() {
        try {
            hosts.close();
        } finally {
            plane.close();
        }
    }

}
