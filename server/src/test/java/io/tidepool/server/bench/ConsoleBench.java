package io.tidepool.server.bench;

import io.tidepool.api.codec.ManifestCodec;
import io.tidepool.api.quantity.Bytes;
import io.tidepool.api.quantity.Cu;
import io.tidepool.api.quantity.MilliCpu;
import io.tidepool.api.resource.Cell;
import io.tidepool.api.resource.Compute;
import io.tidepool.api.resource.Endpoint;
import io.tidepool.api.resource.Host;
import io.tidepool.api.resource.HostShape;
import io.tidepool.api.resource.ObjectMeta;
import io.tidepool.api.resource.Resource;
import io.tidepool.registry.ResourceRegistry;
import io.tidepool.server.api.ApiServer;
import io.tidepool.server.apply.ManifestApplier;
import io.tidepool.server.auth.TokenOwner;
import io.tidepool.server.auth.TokenRegistry;
import io.tidepool.server.metrics.ServerMetrics;
import io.tidepool.store.Await;
import io.tidepool.store.LoopbackPort;
import io.tidepool.store.Op;
import io.tidepool.store.Txn;
import io.tidepool.store.ratis.RatisStore;
import io.tidepool.store.ratis.RatisStoreConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The console's endpoints list and search on a big fleet (docs/BENCHMARKS.md, bench/console.sh):
 * 100,000 endpoints (two thirds running, each with its primary compute; a third suspended) on 2,000
 * hosts of one cell, in a real
 * single-node Ratis store on RocksDB; one API node serving the console (no controllers run, as on a
 * node that does not lead). Measures how long the console's index takes to read the fleet, the heap
 * it holds, and the latency of each page's view over real HTTP, one request at a time. Prints one
 * TSV line per figure: {@code figure <TAB> value}.
 *
 * <pre>java -cp ... io.tidepool.server.bench.ConsoleBench [--endpoints 100000] [--hosts 2000] [--requests 300]</pre>
 */
public final class ConsoleBench {
    private static final String TOKEN = "tp_console-bench";
    private static final int TXN_SIZE = 1_000;
    private static final Cu HOST_CU = Cu.ofWhole(96);

    public static void main(String[] args) throws Exception {
        Map<String, Integer> options = options(args);
        int endpoints = options.getOrDefault("--endpoints", 100_000);
        int hosts = options.getOrDefault("--hosts", 2_000);
        int requests = options.getOrDefault("--requests", 300);
        Path dir = Files.createTempDirectory("console-bench");
        try (RatisStore store = RatisStore.start(RatisStoreConfig.singleNode("n1", dir.resolve("store"), "127.0.0.1:" + LoopbackPort.free()))) {
            awaitLeader(store);
            long writeStart = System.nanoTime();
            write(store, hosts, endpoints);
            print("write s", seconds(System.nanoTime() - writeStart));

            TokenRegistry tokens = new TokenRegistry(store, Clock.systemUTC());
            tokens.register(TokenOwner.admin("bench"), TOKEN);
            ManifestApplier applier = new ManifestApplier(new ResourceRegistry(store), new ManifestCodec(), Clock.systemUTC());
            long heapBefore = usedHeap();
            long indexStart = System.nanoTime();
            try (ApiServer api = ApiServer.start(new ApiServer.Settings("n1", "127.0.0.1", 0, store, applier, tokens,
                    new ServerMetrics(store), () -> null))) {
                Client client = new Client(api.port());
                Await.until(Duration.ofMinutes(5), "the console index holding every endpoint",
                        () -> client.bodyOrEmpty("/console/api/overview").contains("\"endpoints\":" + endpoints + ","));
                print("index s", seconds(System.nanoTime() - indexStart));
                print("index heap bytes per endpoint", (usedHeap() - heapBefore) / endpoints);
                Map<String, String> pages = new LinkedHashMap<>();
                pages.put("endpoints page 1", "/console/api/endpoints");
                pages.put("endpoints last page", "/console/api/endpoints?offset=" + (endpoints - 50));
                pages.put("search substring", "/console/api/endpoints?q=nt-77");
                pages.put("search no match", "/console/api/endpoints?q=nothing-like-it");
                pages.put("filter cell+phase", "/console/api/endpoints?cell=bench&phase=Suspended");
                pages.put("endpoints html", "/console/endpoints");
                pages.put("hosts fullest first", "/console/api/hosts?sort=fill");
                pages.put("cells", "/console/api/cells");
                pages.put("overview", "/console/api/overview");
                for (Map.Entry<String, String> page : pages.entrySet()) {
                    measure(client, page.getKey(), page.getValue(), requests);
                }
            }
        } finally {
            deleteRecursively(dir);
        }
    }

    private static void measure(Client client, String name, String path, int requests) throws Exception {
        for (int i = 0; i < requests / 2; i++) {
            client.body(path);
        }
        long[] nanos = new long[requests];
        long bytes = 0;
        for (int i = 0; i < requests; i++) {
            long start = System.nanoTime();
            bytes = client.body(path).length();
            nanos[i] = System.nanoTime() - start;
        }
        Arrays.sort(nanos);
        print(name + " p50 ms", nanos[requests / 2] / 1e6);
        print(name + " p99 ms", nanos[Math.min(requests - 1, (int) Math.ceil(requests * 0.99) - 1)] / 1e6);
        print(name + " KiB", bytes / 1024.0);
    }

    /** A cell, its hosts (ready, filled to a spread of levels) and endpoints each with a running primary. */
    private static void write(RatisStore store, int hosts, int endpoints) {
        HostShape shape = new HostShape(MilliCpu.ofCpus(96), Bytes.ofGibibytes(384));
        List<Resource> batch = new ArrayList<>();
        batch.add(new Cell(ObjectMeta.named("bench"), new Cell.Spec(shape, null, null, null, null, hosts), null));
        Instant now = Instant.now();
        for (int h = 0; h < hosts; h++) {
            Cu allocated = Cu.ofQuarters(h * 7L % (HOST_CU.quarters() + 1));
            batch.add(new Host(ObjectMeta.named(hostName(h)), new Host.Spec("bench", shape, false),
                    new Host.Status(true, allocated, HOST_CU, now, List.of())));
            flushIfFull(store, batch);
        }
        for (int e = 0; e < endpoints; e++) {
            String name = "tenant-" + e;
            String host = hostName(e % hosts);
            Cu cu = Cu.ofQuarters(1 + e % 16);
            Endpoint.Decision decision = new Endpoint.Decision(now, Cu.QUARTER, cu,
                    "upscale 0.25 -> " + cu + " CU: load1 " + (e % 90) / 10.0 + " > 0.9 x 0.25 vCPU");
            Endpoint.Spec spec = new Endpoint.Spec("bench", new Endpoint.ComputeRange(Cu.QUARTER, Cu.ofWhole(8)), null, null, null);
            // A third of a real fleet sleeps: suspended, no compute.
            if (e % 3 == 0) {
                batch.add(new Endpoint(ObjectMeta.named(name), spec, new Endpoint.Status(Endpoint.Phase.Suspended, null, Cu.ZERO,
                        null, List.of(), decision, null, 1L, null)));
            } else {
                batch.add(new Endpoint(ObjectMeta.named(name), spec, new Endpoint.Status(Endpoint.Phase.Running, host, cu,
                        "sim://" + host + "/" + name + "-1", List.of(), decision, name + "-1", 1L, null)));
                batch.add(new Compute(ObjectMeta.named(name + "-1"), new Compute.Spec(name, host, cu, Compute.Role.primary, 1, null),
                        new Compute.Status(Compute.Phase.Running, cu, "sim://" + host + "/" + name + "-1", true, List.of())));
            }
            flushIfFull(store, batch);
        }
        flush(store, batch);
    }

    private static void flushIfFull(RatisStore store, List<Resource> batch) {
        if (batch.size() >= TXN_SIZE) {
            flush(store, batch);
        }
    }

    private static void flush(RatisStore store, List<Resource> batch) {
        if (!batch.isEmpty()) {
            List<Op> puts = batch.stream().<Op>map(ResourceRegistry::putOp).toList();
            store.txn(Txn.of(List.of(), puts));
            batch.clear();
        }
    }

    private static String hostName(int h) {
        return String.format("bench-h%04d", h);
    }

    private static void awaitLeader(RatisStore store) {
        Await.until(Duration.ofSeconds(60), "the bench's store electing a leader", () -> store.leadership().isLeader());
    }

    private static long usedHeap() {
        Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    private static void print(String figure, double value) {
        System.out.printf("%s\t%.3f%n", figure, value);
        System.out.flush();
    }

    private static Map<String, Integer> options(String[] args) {
        Map<String, Integer> options = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!List.of("--endpoints", "--hosts", "--requests").contains(args[i])) {
                throw new IllegalArgumentException("unknown option " + args[i] + ": expected --endpoints, --hosts or --requests");
            }
            options.put(args[i], Integer.parseInt(args[i + 1]));
        }
        return options;
    }

    private static void deleteRecursively(Path dir) throws java.io.IOException {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** Keep-alive HTTP with the admin token, as a browser's page would fetch (it holds a session instead). */
    private static final class Client {
        private final HttpClient http = HttpClient.newHttpClient();
        private final String base;

        Client(int port) {
            this.base = "http://127.0.0.1:" + port;
        }

        /** The body, or empty while the node cannot answer yet (its index still reading the fleet). */
        String bodyOrEmpty(String path) {
            try {
                return body(path);
            } catch (Exception e) {
                return "";
            }
        }

        String body(String path) throws Exception {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + path))
                    .header("Authorization", "Bearer " + TOKEN).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                if (response.statusCode() == 503) {
                    return "";
                }
                throw new IllegalStateException("GET " + path + " answered " + response.statusCode() + ": " + response.body());
            }
            return response.body();
        }
    }
}
