package io.tidepool.sim.bench;

import io.tidepool.store.Await;
import io.tidepool.store.LoopbackPort;
import io.tidepool.store.ratis.RatisStore;
import io.tidepool.store.ratis.RatisStoreConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The fleet benchmark of docs/BENCHMARKS.md, driven by {@code bench/fleet-scale.sh}: N endpoints
 * placed onto a cell of simulated hosts from empty, then a simulated hour of load, all in this JVM on
 * the real store (a single-node {@link RatisStore} on RocksDB in a temporary directory), the real
 * control loop and the sim driver. Two commands:
 *
 * <pre>
 * run    --endpoints N [--hosts 2000] [--run 1] [--seed 1] [--endpoints-per-txn 1000]
 *        [--simulated-minutes 60] [--parallelism 16] [--warmup-endpoints 20000] [--profile-dir DIR]
 *        --out results.tsv
 * report --in results.tsv
 * </pre>
 *
 * {@code run} does one run in a fresh store and appends one line to the results file; start it in a
 * fresh JVM each time (with an explicit {@code -Xmx}), so runs do not share a warm JIT or a heap.
 * {@code report} prints the medians over runs as markdown. {@code --profile-dir} writes a flight
 * recording of each phase there (setup, write, place, hour), for finding what is slow.
 */
public final class FleetScaleBench {

    /** Enough hosts for the warm-up's endpoints; best fit fills few of them anyway. */
    private static final int WARM_UP_HOSTS = 400;
    /** Long enough for every compute to start and the autoscaler to act. */
    private static final Duration WARM_UP_SIMULATED = Duration.ofMinutes(2);

    private FleetScaleBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            usage();
        }
        Map<String, String> options = options(args);
        switch (args[0]) {
            case "run" -> run(options);
            case "report" -> System.out.print(FleetScaleReport.report(Files.readAllLines(Path.of(required(options, "in")))));
            default -> usage();
        }
        // Ratis and RocksDB leave non-daemon threads behind; the results are written.
        System.exit(0);
    }

    private static void run(Map<String, String> options) throws Exception {
        FleetScaleRun.Plan plan = new FleetScaleRun.Plan(
                Integer.parseInt(required(options, "endpoints")),
                Integer.parseInt(options.getOrDefault("hosts", "2000")),
                Long.parseLong(options.getOrDefault("seed", "1")),
                Integer.parseInt(options.getOrDefault("endpoints-per-txn", "1000")),
                Duration.ofMinutes(Long.parseLong(options.getOrDefault("simulated-minutes", "60"))),
                Integer.parseInt(options.getOrDefault("parallelism", "16")),
                options.containsKey("profile-dir") ? Path.of(options.get("profile-dir")) : null);
        int run = Integer.parseInt(options.getOrDefault("run", "1"));
        Path out = Path.of(required(options, "out"));
        int warmUpEndpoints = Integer.parseInt(options.getOrDefault("warmup-endpoints", "20000"));
        if (warmUpEndpoints > 0) {
            warmUp(plan, warmUpEndpoints);
        }
        FleetScaleRun.Outcome outcome = onFreshStore(store -> new FleetScaleRun(plan, store,
                line -> System.err.println(plan.endpoints() + "/" + run + ": " + line)).run());
        FleetScaleReport.append(out, plan, run, outcome, HeapWatch.maxHeapBytes());
        System.err.println(plan.endpoints() + "/" + run + ": " + outcome);
    }

    /**
     * Runs the same code on a throwaway fleet on a store of its own first, so that the measured run
     * times compiled code rather than the JIT compiling it: a leader that has been up a while is
     * warm; for one that has just started, run with {@code --warmup-endpoints 0}.
     */
    private static void warmUp(FleetScaleRun.Plan plan, int endpoints) throws Exception {
        FleetScaleRun.Plan warmUp = new FleetScaleRun.Plan(endpoints, WARM_UP_HOSTS, plan.seed() + 1,
                plan.endpointsPerTxn(), WARM_UP_SIMULATED, plan.parallelism(), null);
        long start = System.nanoTime();
        onFreshStore(store -> new FleetScaleRun(warmUp, store, line -> { }).run());
        // Its garbage must not count in the measured run's heap.
        HeapWatch.usedAfterFullGcBytes();
        System.err.printf("warm-up: %d endpoints on %d hosts, %.1f s%n", endpoints, WARM_UP_HOSTS,
                (System.nanoTime() - start) / 1e9);
    }

    /** What a run does with its store. */
    @FunctionalInterface
    private interface OnStore<T> {
        T apply(RatisStore store) throws Exception;
    }

    /** Runs {@code body} on a single-node store in a new temporary directory, removed afterwards. */
    private static <T> T onFreshStore(OnStore<T> body) throws Exception {
        Path dir = Files.createTempDirectory("fleet-bench");
        try (RatisStore store = RatisStore.start(RatisStoreConfig.singleNode("n1", dir.resolve("n1"),
                "127.0.0.1:" + LoopbackPort.free()))) {
            Await.until(Duration.ofSeconds(60), "the store to elect itself leader", () -> store.leadership().isLeader());
            return body.apply(store);
        } finally {
            deleteRecursively(dir);
        }
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 1; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                usage();
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        return options;
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            System.err.println("missing --" + name);
            usage();
        }
        return value;
    }

    private static void usage() {
        System.err.println("usage: FleetScaleBench run --endpoints N [--hosts 2000] [--run 1] [--seed 1]"
                + " [--endpoints-per-txn 1000] [--simulated-minutes 60] [--parallelism 16] [--warmup-endpoints 20000]"
                + " [--profile-dir DIR]"
                + " --out FILE\n"
                + "       FleetScaleBench report --in FILE");
        System.exit(2);
    }


    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    static void appendLine(Path file, String header, String line) throws IOException {
        if (!Files.exists(file)) {
            Files.writeString(file, header + "\n");
        }
        Files.writeString(file, line + "\n", StandardOpenOption.APPEND);
    }
}
