package io.tidepool.store.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The store benchmark of docs/BENCHMARKS.md, driven by {@code bench/store-vs-etcd.sh}, which starts
 * and stops the servers. Two commands:
 *
 * <pre>
 * run    --nodes N --tidepool id=host:port,... --etcd http://host:port,... --tidepool-pids p,... --etcd-pids p,...
 *        [--writers 1,64] [--runs 3] [--initial-warmup-seconds 90] [--warmup-seconds 10] [--seconds 20]
 *        [--value-bytes 1024] [--systems tidepool,etcd] [--etcd-client grpc|jetcd] --out results.tsv
 * report --in results.tsv
 * </pre>
 *
 * {@code run} measures both stores in the same JVM and the same run, alternating which goes first
 * from run to run, and appends one line per measured window to the results file. {@code report}
 * prints the medians over runs as a markdown table, with the Tidepool/etcd ratios.
 */
public final class StoreVsEtcdBench {
    private static final String HEADER = "nodes\twriters\trun\tsystem\tops\terrors\tseconds\tputs_per_s\tp50_ms\tp99_ms"
            + "\tmax_ms\tserver_cpu_s\tclient_cpu_s";

    private StoreVsEtcdBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            usage();
        }
        Map<String, String> options = options(Arrays.copyOfRange(args, 1, args.length));
        switch (args[0]) {
            case "run" -> run(options);
            case "report" -> System.out.print(report(Files.readAllLines(Path.of(required(options, "in")))));
            default -> usage();
        }
        System.exit(0);
    }

    private static void run(Map<String, String> options) throws Exception {
        int nodes = Integer.parseInt(required(options, "nodes"));
        List<Integer> writerCounts = Arrays.stream(options.getOrDefault("writers", "1,64").split(","))
                .map(Integer::parseInt).toList();
        int runs = Integer.parseInt(options.getOrDefault("runs", "3"));
        Duration warmUp = Duration.ofSeconds(Long.parseLong(options.getOrDefault("warmup-seconds", "10")));
        Duration window = Duration.ofSeconds(Long.parseLong(options.getOrDefault("seconds", "20")));
        int valueBytes = Integer.parseInt(options.getOrDefault("value-bytes", "1024"));
        Path out = Path.of(required(options, "out"));
        if (!Files.exists(out)) {
            Files.writeString(out, HEADER + "\n");
        }
        // Both by default; one alone is for profiling a single store.
        List<String> systems = List.of(options.getOrDefault("systems", "tidepool,etcd").split(","));
        List<PutTarget> targets = new ArrayList<>();
        Map<PutTarget, List<Long>> pidsOf = new HashMap<>();
        try {
            if (systems.contains("tidepool")) {
                PutTarget tidepool = PutTarget.tidepool(StoreNodeMain.peers(required(options, "tidepool")));
                targets.add(tidepool);
                pidsOf.put(tidepool, pids(required(options, "tidepool-pids")));
            }
            if (systems.contains("etcd")) {
                List<String> endpoints = List.of(required(options, "etcd").split(","));
                PutTarget etcd = "jetcd".equals(options.getOrDefault("etcd-client", "grpc"))
                        ? PutTarget.etcd(endpoints) : PutTarget.etcdGrpc(endpoints);
                targets.add(etcd);
                pidsOf.put(etcd, pids(required(options, "etcd-pids")));
            }
            // The JVMs (servers and this one) compile their hot code for minutes on two cores; etcd
            // gets the same load so that both are measured in a steady state.
            Duration initialWarmUp = Duration.ofSeconds(Long.parseLong(options.getOrDefault("initial-warmup-seconds",
                    "90")));
            int mostWriters = writerCounts.stream().max(Integer::compare).orElseThrow();
            for (PutTarget target : targets) {
                System.err.println("warming up " + target.name() + " for " + initialWarmUp.toSeconds() + " s");
                PutLoad.run(target, mostWriters, valueBytes, initialWarmUp, Duration.ofSeconds(1), List.of());
            }
            for (int run = 1; run <= runs; run++) {
                for (int writers : writerCounts) {
                    // Alternate which store goes first, so neither always runs on a warmer machine.
                    List<PutTarget> order = new ArrayList<>(targets);
                    if (run % 2 == 0) {
                        Collections.reverse(order);
                    }
                    for (PutTarget target : order) {
                        List<Long> pids = pidsOf.get(target);
                        PutLoad.Result result = PutLoad.run(target, writers, valueBytes, warmUp, window, pids);
                        String line = String.format(Locale.ROOT, "%d\t%d\t%d\t%s\t%d\t%d\t%.1f\t%.1f\t%.3f\t%.3f\t%.3f"
                                        + "\t%.2f\t%.2f", nodes, writers, run, target.name(), result.ops(),
                                result.errors(), result.seconds(), result.opsPerSecond(), result.percentileMillis(50),
                                result.percentileMillis(99), result.maxMillis(), result.serverCpuSeconds(),
                                result.clientCpuSeconds());
                        System.out.println(line);
                        Files.writeString(out, line + "\n", StandardOpenOption.APPEND);
                    }
                }
            }
        } finally {
            targets.forEach(PutTarget::close);
        }
    }

    /** The markdown tables of docs/BENCHMARKS.md: medians over runs, then every run. */
    static String report(List<String> lines) {
        List<Row> rows = lines.stream().filter(line -> !line.isBlank() && !line.startsWith("nodes"))
                .map(Row::parse).toList();
        Map<String, List<Row>> groups = new LinkedHashMap<>();
        rows.stream().sorted((a, b) -> a.nodes != b.nodes ? Integer.compare(a.nodes, b.nodes)
                        : Integer.compare(a.writers, b.writers))
                .forEach(row -> groups.computeIfAbsent(row.nodes + "/" + row.writers + "/" + row.system,
                        key -> new ArrayList<>()).add(row));
        StringBuilder text = new StringBuilder();
        text.append("| nodes | writers | etcd puts/s | etcd p50 ms | etcd p99 ms | Tidepool puts/s | Tidepool p50 ms "
                + "| Tidepool p99 ms | throughput Tidepool/etcd | p99 Tidepool/etcd | goal (≥2x, p99 ≤1x) |\n");
        text.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        Map<String, Boolean> seen = new HashMap<>();
        for (Row row : rows.stream().sorted((a, b) -> a.nodes != b.nodes ? Integer.compare(a.nodes, b.nodes)
                : Integer.compare(a.writers, b.writers)).toList()) {
            String config = row.nodes + "/" + row.writers;
            if (seen.put(config, true) != null) {
                continue;
            }
            List<Row> etcd = groups.getOrDefault(config + "/etcd", List.of());
            List<Row> tidepool = groups.getOrDefault(config + "/tidepool", List.of());
            double etcdRate = median(etcd, r -> r.putsPerSecond);
            double tidepoolRate = median(tidepool, r -> r.putsPerSecond);
            double etcdP99 = median(etcd, r -> r.p99Ms);
            double tidepoolP99 = median(tidepool, r -> r.p99Ms);
            double rateRatio = tidepoolRate / etcdRate;
            double p99Ratio = tidepoolP99 / etcdP99;
            text.append(String.format(Locale.ROOT, "| %d | %d | %.0f | %.2f | %.2f | %.0f | %.2f | %.2f | %.2fx | %.2fx | %s |%n",
                    row.nodes, row.writers, etcdRate, median(etcd, r -> r.p50Ms), etcdP99, tidepoolRate,
                    median(tidepool, r -> r.p50Ms), tidepoolP99, rateRatio, p99Ratio,
                    rateRatio >= 2 && p99Ratio <= 1 ? "met" : "not met"));
        }
        text.append("\nEvery run (CPU = seconds of CPU the servers / the load generator used in the window):\n\n");
        text.append("| nodes | writers | run | system | puts/s | p50 ms | p99 ms | max ms | errors | server CPU s "
                + "| client CPU s |\n");
        text.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (List<Row> group : groups.values()) {
            for (Row r : group) {
                text.append(String.format(Locale.ROOT, "| %d | %d | %d | %s | %.0f | %.2f | %.2f | %.1f | %d | %.1f | %.1f |%n",
                        r.nodes, r.writers, r.run, r.system, r.putsPerSecond, r.p50Ms, r.p99Ms, r.maxMs, r.errors,
                        r.serverCpuSeconds, r.clientCpuSeconds));
            }
        }
        return text.toString();
    }

    static double median(List<Row> rows, ToDoubleFunction<Row> field) {
        double[] values = rows.stream().mapToDouble(field).sorted().toArray();
        if (values.length == 0) {
            return Double.NaN;
        }
        int middle = values.length / 2;
        return values.length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }

    record Row(int nodes, int writers, int run, String system, long errors, double putsPerSecond, double p50Ms,
               double p99Ms, double maxMs, double serverCpuSeconds, double clientCpuSeconds) {
        static Row parse(String line) {
            String[] f = line.split("\t");
            return new Row(Integer.parseInt(f[0]), Integer.parseInt(f[1]), Integer.parseInt(f[2]), f[3],
                    Long.parseLong(f[5]), Double.parseDouble(f[7]), Double.parseDouble(f[8]),
                    Double.parseDouble(f[9]), Double.parseDouble(f[10]), Double.parseDouble(f[11]),
                    Double.parseDouble(f[12]));
        }
    }

    private static List<Long> pids(String spec) {
        return Arrays.stream(spec.split(",")).map(Long::parseLong).toList();
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
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
        System.err.println("usage: StoreVsEtcdBench run --nodes N --tidepool id=host:port,... --etcd url,... "
                + "--tidepool-pids p,... --etcd-pids p,... [--writers 1,64] [--runs 3] [--initial-warmup-seconds 90] "
                + "[--warmup-seconds 10] [--systems tidepool,etcd] [--etcd-client grpc|jetcd] "
                + "[--seconds 20] [--value-bytes 1024] --out FILE\n       StoreVsEtcdBench report --in FILE");
        System.exit(2);
    }
}
