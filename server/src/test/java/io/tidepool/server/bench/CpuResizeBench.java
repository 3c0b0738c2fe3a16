package io.tidepool.server.bench;

import io.tidepool.api.quantity.Cu;
import io.tidepool.api.resource.Endpoint;
import io.tidepool.autoscale.ScalingPolicy;
import io.tidepool.guest.cgroup.ComputeCgroup;
import io.tidepool.postgres.PostgresBinaries;
import io.tidepool.store.Await;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CPU resizes on real computes, driven by {@code bench/cpu-resize.sh}, on the fleet of
 * {@link BenchFleet}:
 * <ul>
 *   <li>{@code resize --trials 20 [--nodes 1|3]}: the operator moves an endpoint's bounds between
 *       0.25 and 1 CU; each time, from the autoscaler's decision (the time it records with it) to
 *       the new quota read in the compute's {@code cpu.cfs_quota_us}. An upscale is admission, the
 *       store, the host agent and the cgroup write; a downscale also asks the guest and reclaims
 *       memory first. Prints nodes, trials, then p50, p90 and max of ups, then of downs, in ms.</li>
 *   <li>{@code tps --seconds 20 [--clients 4] [--scale 10]}: pgbench select-only at 0.25, 0.5, 1
 *       and 2 CU, the data fitting every size's memory, so CPU is what limits. Prints one line per
 *       size: CU, transactions per second, and the CPUs the compute's cgroup used meanwhile.</li>
 * </ul>
 */
public final class CpuResizeBench {
    private static final String ENDPOINT = """
            apiVersion: tidepool.io/v1
            kind: Endpoint
            metadata: {name: %s}
            spec: {cell: local, compute: {minCu: %s, maxCu: %s}}
            """;
    private static final long POLL_NANOS = 250_000;
    private static final Cu ONE = Cu.parse("1");
    private static final Pattern TPS = Pattern.compile("tps = ([0-9.]+) \\(without initial connection time\\)");

    public static void main(String[] args) throws Exception {
        Map<String, String> options = BenchFleet.options(args);
        int nodes = Integer.parseInt(options.getOrDefault("nodes", "1"));
        try (BenchFleet fleet = BenchFleet.start(nodes, ScalingPolicy.DEFAULT)) {
            switch (args.length == 0 ? "" : args[0]) {
                case "resize" -> resize(fleet, nodes, Integer.parseInt(options.getOrDefault("trials", "20")));
                case "tps" -> tps(fleet, Integer.parseInt(options.getOrDefault("seconds", "20")),
                        Integer.parseInt(options.getOrDefault("clients", "4")), Integer.parseInt(options.getOrDefault("scale", "10")));
                default -> throw new IllegalArgumentException("usage: resize --trials N [--nodes 1|3] | tps --seconds N");
            }
        }
    }

    private static void resize(BenchFleet fleet, int nodes, int trials) {
        String endpoint = "resize-bench";
        fleet.apply("endpoint.yaml", ENDPOINT.formatted(endpoint, "0.25", "0.25"));
        String compute = fleet.awaitSize(endpoint, Cu.QUARTER);
        ComputeCgroup cgroup = fleet.driver().cgroup(compute).orElseThrow();
        long[] ups = new long[trials];
        long[] downs = new long[trials];
        for (int trial = 0; trial < trials; trial++) {
            ups[trial] = resizeTo(fleet, endpoint, cgroup, ONE);
            downs[trial] = resizeTo(fleet, endpoint, cgroup, Cu.QUARTER);
        }
        Arrays.sort(ups);
        Arrays.sort(downs);
        System.out.printf("%d\t%d\t%.1f\t%.1f\t%.1f\t%.1f\t%.1f\t%.1f%n", nodes, trials,
                BenchFleet.ms(ups, 0.5), BenchFleet.ms(ups, 0.9), BenchFleet.ms(ups, 1),
                BenchFleet.ms(downs, 0.5), BenchFleet.ms(downs, 0.9), BenchFleet.ms(downs, 1));
    }

    /** Sets the endpoint's bounds to {@code size}; returns nanoseconds from the decision to the quota in place. */
    private static long resizeTo(BenchFleet fleet, String endpoint, ComputeCgroup cgroup, Cu size) {
        fleet.apply("endpoint.yaml", ENDPOINT.formatted(endpoint, size, size));
        long deadline = System.nanoTime() + BenchFleet.WAIT.toNanos();
        while (quota(cgroup) != size.cpu().millis()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("the quota of " + endpoint + " did not reach " + size + " CU; its status: "
                        + fleet.status(endpoint).orElse(null));
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
        Instant inPlace = Instant.now();
        Endpoint.Decision decision = Await.value(BenchFleet.WAIT, endpoint + "'s decision for " + size + " CU",
                () -> fleet.status(endpoint).map(Endpoint.Status::lastDecision)
                        .filter(d -> d != null && size.equals(d.toCu())).orElse(null));
        fleet.awaitSize(endpoint, size);
        return Duration.between(decision.at(), inPlace).toNanos();
    }

    private static long quota(ComputeCgroup cgroup) {
        try {
            return cgroup.cpuLimit().millis();
        } catch (IOException e) {
            return -1;
        }
    }

    private static void tps(BenchFleet fleet, int seconds, int clients, int scale) throws Exception {
        String endpoint = "tps-bench";
        List<Cu> sizes = List.of(Cu.QUARTER, Cu.parse("0.5"), ONE, Cu.parse("2"));
        // Loading is faster at the largest size; each measured size then runs on the same data.
        fleet.apply("endpoint.yaml", ENDPOINT.formatted(endpoint, "2", "2"));
        fleet.awaitSize(endpoint, Cu.parse("2"));
        String address = fleet.status(endpoint).orElseThrow().address();
        pgbench(address, "-i", "-q", "-s", Integer.toString(scale));
        for (Cu size : sizes) {
            fleet.apply("endpoint.yaml", ENDPOINT.formatted(endpoint, size, size));
            String compute = fleet.awaitSize(endpoint, size);
            ComputeCgroup cgroup = fleet.driver().cgroup(compute).orElseThrow();
            // A short run first, so that every size starts with its caches as warm as the others'.
            pgbench(address, "-S", "-n", "-c", Integer.toString(clients), "-j", "2", "-T", "3");
            long cpuBefore = cgroup.cpuUsageNanos();
            long started = System.nanoTime();
            String output = pgbench(address, "-S", "-n", "-c", Integer.toString(clients), "-j", "2",
                    "-T", Integer.toString(seconds));
            double cpus = (cgroup.cpuUsageNanos() - cpuBefore) / (double) (System.nanoTime() - started);
            Matcher tps = TPS.matcher(output);
            if (!tps.find()) {
                throw new IOException("pgbench printed no tps: " + output);
            }
            System.out.printf("%s\t%s\t%.2f%n", size, tps.group(1), cpus);
        }
    }

    private static String pgbench(String address, String... arguments) throws IOException, InterruptedException {
        PostgresBinaries binaries = PostgresBinaries.find("15").orElseThrow(() -> new IOException("needs Postgres 15"));
        List<String> command = new ArrayList<>(List.of(binaries.bin().resolve("pgbench").toString()));
        command.addAll(List.of(arguments));
        command.add(address);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IOException("pgbench " + String.join(" ", arguments) + " failed: " + output);
        }
        return output;
    }
}
