package io.tidepool.server.metrics;

import io.tidepool.api.codec.ManifestCodec;
import io.tidepool.api.quantity.Bytes;
import io.tidepool.api.quantity.Cu;
import io.tidepool.api.quantity.MilliCpu;
import io.tidepool.api.resource.Cell;
import io.tidepool.api.resource.Compute;
import io.tidepool.api.resource.Host;
import io.tidepool.api.resource.HostShape;
import io.tidepool.api.resource.Migration;
import io.tidepool.api.resource.ObjectMeta;
import io.tidepool.api.resource.Resource;
import io.tidepool.buffer.HostProviders;
import io.tidepool.control.ControlLoop;
import io.tidepool.manifests.apply.ApplyOptions;
import io.tidepool.manifests.apply.ApplyResponse;
import io.tidepool.manifests.source.ManifestFile;
import io.tidepool.reconcile.ManualClock;
import io.tidepool.registry.ResourceRegistry;
import io.tidepool.server.apply.ApplySetDrift;
import io.tidepool.server.apply.ManifestApplier;
import io.tidepool.store.Await;
import io.tidepool.store.LoopbackPort;
import io.tidepool.store.Op;
import io.tidepool.store.Store;
import io.tidepool.store.Txn;
import io.tidepool.store.ratis.RatisStore;
import io.tidepool.store.ratis.RatisStoreConfig;
import io.tidepool.switchover.Switchover;
import io.tidepool.telemetry.Telemetry;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What a scrape of {@code /metrics} costs the leader of a big fleet, driven by
 * {@code bench/scrape-cost.sh}: a single-node store (Ratis on RocksDB) holding one cell of H hosts
 * with E endpoints in S apply sets (applied through the manifest applier, so that their
 * inventories and markers are real), one compute per endpoint placed round robin, some moves and
 * restarts under way; a primed control loop whose cache holds it all; then many scrapes, each
 * timed from the registry to the text written. The controllers do not run: a scrape reads what the
 * cache and the store hold, whatever the controllers do meanwhile.
 *
 * <pre>run [--hosts 2000] [--endpoints 100000] [--sets 25] [--scrapes 200] [--warmup 100]</pre>
 * Prints one line: hosts, endpoints, sets, series, bytes, then the median and p99 of a whole scrape,
 * the medians of its fleet part and its apply-set part (drift as counted before), and the median of
 * counting every set's drift again (what a scrape after a change to the sets pays), in milliseconds.
 */
public final class ScrapeCostBench {
    private static final HostShape HOST = new HostShape(new MilliCpu(96_000), new Bytes(384L << 30));
    private static final Instant NOW = Instant.parse("2026-01-05T00:00:00Z");
    private static final int PER_TXN = 1_000;
    private static final int PER_FILE = 1_000;

    private ScrapeCostBench() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        int hosts = Integer.parseInt(options.getOrDefault("hosts", "2000"));
        int endpoints = Integer.parseInt(options.getOrDefault("endpoints", "100000"));
        int sets = Integer.parseInt(options.getOrDefault("sets", "25"));
        int scrapes = Integer.parseInt(options.getOrDefault("scrapes", "200"));
        int warmup = Integer.parseInt(options.getOrDefault("warmup", "100"));
        Path dir = Files.createTempDirectory("scrape-bench");
        try (RatisStore store = RatisStore.start(RatisStoreConfig.singleNode("n1", dir.resolve("n1"),
                "127.0.0.1:" + LoopbackPort.free()))) {
            Await.until(Duration.ofSeconds(60), "the store to elect itself leader", () -> store.leadership().isLeader());
            fill(store, hosts, endpoints, sets);
            ServerMetrics metrics = new ServerMetrics(store);
            TermMetrics term = metrics.newTerm(NOW);
            ManualClock clock = new ManualClock(NOW);
            try (ControlLoop loop = new ControlLoop(store, clock, new Telemetry(NOW), ControlLoop.Settings.DEFAULT,
                    HostProviders.none(), term.observers())) {
                loop.prime();
                metrics.leading(term, loop);
                ResourceRegistry registry = new ResourceRegistry(store);
                String text = scrape(metrics);
                int series = (int) text.lines().filter(l -> !l.isEmpty() && !l.startsWith("#")).count();
                for (int i = 0; i < warmup; i++) {
                    scrape(metrics);
                }
                double[] whole = time(scrapes, () -> scrape(metrics));
                double[] fleet = time(scrapes, () -> FleetGauges.of(loop));
                ApplySetGauges gauges = new ApplySetGauges(registry);
                double[] applySets = time(scrapes, gauges::collect);
                double[] recount = time(Math.max(5, scrapes / 20), () -> ApplySetDrift.checkAll(registry));
                System.out.printf(Locale.ROOT, "%d\t%d\t%d\t%d\t%d\t%.2f\t%.2f\t%.2f\t%.2f\t%.1f%n", hosts, endpoints, sets,
                        series, text.getBytes(StandardCharsets.UTF_8).length, quantile(whole, 0.5), quantile(whole, 0.99),
                        quantile(fleet, 0.5), quantile(applySets, 0.5), quantile(recount, 0.5));
            }
        } finally {
            deleteRecursively(dir);
        }
        System.exit(0); // Ratis and RocksDB leave non-daemon threads behind
    }

    /** The cell, the endpoints through the applier in their sets, then hosts, computes, moves and restarts written directly. */
    private static void fill(Store store, int hosts, int endpoints, int sets) {
        ResourceRegistry registry = new ResourceRegistry(store);
        ManifestApplier applier = new ManifestApplier(registry, new ManifestCodec(), Clock.systemUTC());
        write(store, List.of(new Cell(ObjectMeta.named("bench"), new Cell.Spec(HOST, new Cell.Buffer(Cu.ofWhole(96)),
                0.9, 1.0, null, hosts + 10), null)));
        for (int set = 0; set < Math.max(sets, 1); set++) {
            List<ManifestFile> files = new ArrayList<>();
            StringBuilder file = new StringBuilder();
            for (int e = set; e < endpoints; e += Math.max(sets, 1)) {
                file.append("apiVersion: tidepool.io/v1\nkind: Endpoint\nmetadata: {name: db-").append(e)
                        .append("}\nspec: {cell: bench, compute: {minCu: 0.25, maxCu: 4}}\n---\n");
                if ((e / Math.max(sets, 1) + 1) % PER_FILE == 0) {
                    files.add(new ManifestFile("set-" + set + "-" + files.size() + ".yaml", file.toString()));
                    file.setLength(0);
                }
            }
            if (file.length() > 0) {
                files.add(new ManifestFile("set-" + set + "-" + files.size() + ".yaml", file.toString()));
            }
            ApplyOptions options = sets == 0 ? ApplyOptions.APPLY : new ApplyOptions(false, "set-" + set, false, false, null, null);
            ApplyResponse response = applier.apply(files, options);
            if (!response.errors().isEmpty()) {
                throw new IllegalStateException(response.errors().get(0).format());
            }
        }
        List<Resource> placed = new ArrayList<>();
        long[] allocated = new long[hosts];
        for (int e = 0; e < endpoints; e++) {
            int host = e % hosts;
            Cu cu = Cu.ofQuarters(1 + e % 8);
            allocated[host] += cu.quarters();
            placed.add(new Compute(ObjectMeta.named("db-" + e + "-1"), new Compute.Spec("db-" + e, "h-" + host, cu,
                    Compute.Role.primary, 1, null), new Compute.Status(Compute.Phase.Running, cu, "sim://db-" + e, true, List.of())));
        }
        for (int e = 0; e < Math.min(100, endpoints); e++) {
            placed.add(new Compute(ObjectMeta.named("db-" + e + "-2").withLabels(Map.of(Switchover.PURPOSE_LABEL, "restart")),
                    new Compute.Spec("db-" + e, "h-" + ((e + 1) % hosts), Cu.QUARTER, Compute.Role.replacement, 2, null), null));
        }
        for (int e = 100; e < Math.min(150, endpoints); e++) {
            placed.add(new Migration(ObjectMeta.named("db-" + e + "-move-3"), new Migration.Spec("db-" + e, "db-" + e + "-1",
                    "db-" + e + "-3", "h-" + (e % hosts), "h-" + ((e + 2) % hosts), "watermark"),
                    new Migration.Status(Migration.Phase.Copying, NOW, null, null, "warming")));
        }
        for (int h = 0; h < hosts; h++) {
            placed.add(new Host(ObjectMeta.named("h-" + h), new Host.Spec("bench", HOST, false),
                    new Host.Status(true, Cu.ofQuarters(allocated[h]), Cu.ofWhole(96), NOW, List.of())));
        }
        write(store, placed);
    }

    private static void write(Store store, List<? extends Resource> objects) {
        for (int from = 0; from < objects.size(); from += PER_TXN) {
            List<Op> ops = objects.subList(from, Math.min(objects.size(), from + PER_TXN)).stream()
                    .map(r -> (Op) ResourceRegistry.putOp(r)).toList();
            if (!store.txn(Txn.of(List.of(), ops)).succeeded()) {
                throw new IllegalStateException("a write of the fleet failed");
            }
        }
    }

    private static String scrape(ServerMetrics metrics) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 20);
            metrics.write(out);
            return out.toString(StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static double[] time(int times, Supplier<?> body) {
        double[] millis = new double[times];
        for (int i = 0; i < times; i++) {
            long start = System.nanoTime();
            body.get();
            millis[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(millis);
        return millis;
    }

    private static double quantile(double[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new java.util.HashMap<>();
        if (args.length == 0 || !args[0].equals("run")) {
            usage();
        }
        for (int i = 1; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                usage();
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        return options;
    }

    private static void usage() {
        System.err.println("usage: ScrapeCostBench run [--hosts 2000] [--endpoints 100000] [--sets 25] [--scrapes 200]"
                + " [--warmup 100]");
        System.exit(2);
    }

    private static void deleteRecursively(Path dir) throws java.io.IOException {
        try (var paths = Files.walk(dir)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
