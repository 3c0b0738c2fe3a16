package io.tidepool.server.bench;

import io.tidepool.api.quantity.Cu;
import io.tidepool.autoscale.ScalingPolicy;
import io.tidepool.guest.cgroup.ComputeCgroup;
import io.tidepool.store.Await;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Memory pressure to relief, end to end, driven by {@code bench/pressure-relief.sh}: real Postgres
 * computes at 0.25 CU in real cgroups, each with a guest agent, on one local host of a real store
 * (1 or 3 Ratis nodes in this JVM) with the real control loop. In each trial a process in the
 * compute's memory cgroup takes 950 MiB of its 1 GiB at once; the guest sees the pressure and calls for
 * memory, the host agent passes the call on, the autoscaler grants, the agent raises the limit.
 * The guest times each relief, from its first reading over the threshold to its first reading of a
 * larger limit. The memory is then freed and the compute shrinks back (a 3 s stabilisation window)
 * before the next trial.
 *
 * <pre>run --trials 100 [--nodes 1|3] [--endpoints 2]</pre>
 * Prints one line: nodes, trials, reliefs timed (trials whose pressure the guest saw), then p50,
 * p90, p99 and max of those in milliseconds.
 */
public final class PressureReliefBench {
    private static final long MIB = 1L << 20;
    /**
     * Takes "a MIB" (hold that much more, every page touched) and "f" (free it all); answers "ok" to
     * each. vec() grows a fresh lexical in place: the result of 'x' would stay allocated in the
     * operator's own target after "f".
     */
    private static final String HOG = "$| = 1; my @held; while (<STDIN>) { if (/^a (\\d+)/) { my $s = '';"
            + " vec($s, $1 * 1048576 * 8 - 1, 1) = 1; push @held, \\$s; } else { @held = (); } print \"ok\\n\"; }";

    public static void main(String[] args) throws Exception {
        Map<String, String> options = BenchFleet.options(args);
        int trials = Integer.parseInt(options.getOrDefault("trials", "100"));
        int nodes = Integer.parseInt(options.getOrDefault("nodes", "1"));
        int endpoints = Integer.parseInt(options.getOrDefault("endpoints", "2"));
        try (BenchFleet fleet = BenchFleet.start(nodes, new ScalingPolicy(0.9, 0.75, 0.75,
                Duration.ofSeconds(3), Duration.ofSeconds(3), Duration.ofMinutes(2)))) {
            StringBuilder manifest = new StringBuilder();
            for (int i = 1; i <= endpoints; i++) {
                manifest.append("""
                        apiVersion: tidepool.io/v1
                        kind: Endpoint
                        metadata: {name: bench-%d}
                        spec: {cell: local, compute: {minCu: 0.25, maxCu: 2}}
                        ---
                        """.formatted(i));
            }
            fleet.apply("endpoints.yaml", manifest.toString());
            ExecutorService runners = Executors.newFixedThreadPool(endpoints, runnable -> {
                Thread thread = new Thread(runnable, "trials");
                thread.setDaemon(true);
                return thread;
            });
            List<Future<long[]>> results = new ArrayList<>();
            for (int i = 1; i <= endpoints; i++) {
                String name = "bench-" + i;
                int share = trials / endpoints + (i <= trials % endpoints ? 1 : 0);
                results.add(runners.submit(() -> runTrials(fleet, name, share)));
            }
            long[] all = new long[0];
            for (Future<long[]> result : results) {
                long[] some = result.get();
                long[] merged = Arrays.copyOf(all, all.length + some.length);
                System.arraycopy(some, 0, merged, all.length, some.length);
                all = merged;
            }
            runners.shutdown();
            Arrays.sort(all);
            System.out.printf("%d\t%d\t%d\t%.1f\t%.1f\t%.1f\t%.1f%n", nodes, trials, all.length,
                    BenchFleet.ms(all, 0.5), BenchFleet.ms(all, 0.9), BenchFleet.ms(all, 0.99), BenchFleet.ms(all, 1));
        }
    }

    /** Runs the trials on one endpoint; returns the relief times its guest measured, in nanoseconds. */
    private static long[] runTrials(BenchFleet fleet, String endpoint, int trials) throws Exception {
        String compute = fleet.awaitSize(endpoint, Cu.QUARTER);
        ComputeCgroup cgroup = fleet.driver().cgroup(compute).orElseThrow();
        Path hogCpu = tenantCpuCgroup(cgroup, compute);
        Process hog = new ProcessBuilder(joining(List.of(only(cgroup, "/memory"), hogCpu), List.of("perl", "-e", HOG)))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (Writer commands = new OutputStreamWriter(hog.getOutputStream(), StandardCharsets.US_ASCII);
             BufferedReader answers = new BufferedReader(new InputStreamReader(hog.getInputStream(), StandardCharsets.US_ASCII))) {
            for (int trial = 0; trial < trials; trial++) {
                fleet.awaitSize(endpoint, Cu.QUARTER);
                Await.until(BenchFleet.WAIT, compute + " back at 1 GiB", () -> limit(cgroup) == 1024 * MIB);
                command(commands, answers, "a 950");
                Await.until(BenchFleet.WAIT, compute + " relieved", () -> limit(cgroup) > 1024 * MIB);
                command(commands, answers, "f");
            }
        } finally {
            hog.destroyForcibly().waitFor();
            Files.delete(hogCpu.getParent());
        }
        return fleet.driver().guestAgent(compute).orElseThrow().reliefNanos();
    }

    /**
     * The hog is tenant work: it joins the compute's memory cgroup, whose limit is the pressure,
     * and for CPU a cgroup of its own beside the compute's, weighed like a compute against the
     * host agent and the store, but without the compute's quota. At 0.25 CU its page faults would
     * take about a second, long enough for the once-a-second metrics to grow the compute before
     * the threshold is ever crossed. (In the root CPU cgroup instead, it took a whole core ahead of
     * the control plane, as no tenant's work can.)
     */
    private static Path tenantCpuCgroup(ComputeCgroup cgroup, String compute) throws IOException {
        Path cpu = only(cgroup, "/cpu").getParent();
        Path hog = cpu.resolveSibling(compute + "-hog");
        Files.createDirectories(hog);
        return hog.resolve("cgroup.procs");
    }

    private static List<String> joining(List<Path> procsFiles, List<String> command) {
        StringBuilder join = new StringBuilder();
        for (Path procs : procsFiles) {
            join.append("echo $$ > '").append(procs).append("' || exit 125; ");
        }
        List<String> full = new ArrayList<>(List.of("/bin/sh", "-c", join + "exec \"$@\"", "sh"));
        full.addAll(command);
        return full;
    }

    private static Path only(ComputeCgroup cgroup, String controller) {
        List<Path> matching = cgroup.procsFiles().stream().filter(procs -> procs.toString().contains(controller + "/")
                || procs.toString().contains(controller + ",")).toList();
        if (matching.size() != 1) {
            throw new IllegalStateException("expected one " + controller + " cgroup (v1) among " + cgroup.procsFiles());
        }
        return matching.get(0);
    }

    private static void command(Writer commands, BufferedReader answers, String command) throws IOException {
        commands.write(command + "\n");
        commands.flush();
        if (!"ok".equals(answers.readLine())) {
            throw new IOException("the memory hog did not answer " + command);
        }
    }

    private static long limit(ComputeCgroup cgroup) {
        try {
            return cgroup.memoryLimit().value();
        } catch (IOException e) {
            return -1;
        }
    }
}
