package io.tidepool.server.bench;

import io.tidepool.api.quantity.Bytes;
import io.tidepool.api.quantity.Cu;
import io.tidepool.api.quantity.MilliCpu;
import io.tidepool.api.resource.Endpoint;
import io.tidepool.api.resource.HostShape;
import io.tidepool.api.resource.Kind;
import io.tidepool.autoscale.ScalingPolicy;
import io.tidepool.control.ControlLoop;
import io.tidepool.guest.cgroup.CgroupLayout;
import io.tidepool.guest.cgroup.CgroupTree;
import io.tidepool.guest.cgroup.ComputeCgroup;
import io.tidepool.manifests.source.ManifestFile;
import io.tidepool.process.ProcessDriver;
import io.tidepool.registry.ResourceRegistry;
import io.tidepool.server.ControlPlane;
import io.tidepool.server.hosts.LocalHosts;
import io.tidepool.server.hosts.LocalMachine;
import io.tidepool.store.Await;
import io.tidepool.store.LoopbackPort;
import io.tidepool.store.ratis.Peer;
import io.tidepool.telemetry.Telemetry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
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
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final long MIB = 1L << 20;
    private static final String CELL = """
            apiVersion: tidepool.io/v1
            kind: Cell
            metadata: {name: local}
            spec: {hostTemplate: {cpus: 8, memory: 16Gi}}
            """;
    /**
     * Takes "a MIB" (hold that much more, every page touched) and "f" (free it all); answers "ok" to
     * each. vec() grows a fresh lexical in place: the result of 'x' would stay allocated in the
     * operator's own target after "f".
     */
    private static final String HOG = "$| = 1; my @held; while (<STDIN>) { if (/^a (\\d+)/) { my $s = '';"
            + " vec($s, $1 * 1048576 * 8 - 1, 1) = 1; push @held, \\$s; } else { @held = (); } print \"ok\\n\"; }";

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        int trials = Integer.parseInt(options.getOrDefault("trials", "100"));
        int nodes = Integer.parseInt(options.getOrDefault("nodes", "1"));
        int endpoints = Integer.parseInt(options.getOrDefault("endpoints", "2"));
        Path work = Files.createTempDirectory("pressure-bench-");
        Path computes = Files.createTempDirectory(Path.of("/var/tmp"), "tidepool-bench-");
        Files.setPosixFilePermissions(computes, PosixFilePermissions.fromString("rwxr-xr-x"));
        CgroupLayout layout = CgroupLayout.detect();
        String cgroupParent = "tidepool-bench-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, ProcessDriver> drivers = new ConcurrentHashMap<>();
        List<ControlPlane> planes = startPlanes(work, nodes);
        try {
            planes.get(0).applier().apply(List.of(new ManifestFile("cell.yaml", CELL)), false);
            HostShape shape = new HostShape(MilliCpu.ofCpus(8), LocalMachine.slice(1).memory());
            try (LocalHosts hosts = LocalHosts.start(planes.get(0).store(), () -> leaderTelemetry(planes),
                    LocalHosts.Settings.of("local", 1, shape), host -> driver(host, computes, layout, cgroupParent, drivers),
                    Clock.systemUTC())) {
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
                planes.get(0).applier().apply(List.of(new ManifestFile("endpoints.yaml", manifest.toString())), false);
                ResourceRegistry registry = new ResourceRegistry(planes.get(0).store());
                ProcessDriver driver = drivers.get(LocalHosts.hostName("local", 1));
                ExecutorService runners = Executors.newFixedThreadPool(endpoints, runnable -> {
                    Thread thread = new Thread(runnable, "trials");
                    thread.setDaemon(true);
                    return thread;
                });
                List<Future<long[]>> results = new ArrayList<>();
                for (int i = 1; i <= endpoints; i++) {
                    String name = "bench-" + i;
                    int share = trials / endpoints + (i <= trials % endpoints ? 1 : 0);
                    results.add(runners.submit(() -> runTrials(registry, driver, name, share)));
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
                System.out.printf("%d\t%d\t%d\t%.1f\t%.1f\t%.1f\t%.1f%n", nodes, trials, all.length, ms(all, 0.5), ms(all, 0.9),
                        ms(all, 0.99), all.length == 0 ? 0 : all[all.length - 1] / 1e6);
            }
        } finally {
            planes.forEach(ControlPlane::close);
            try {
                // Removing a cgroup right after its last child can fail for a moment: retry, bounded.
                Await.until(Duration.ofSeconds(10), "the bench's cgroups removed", () -> {
                    try {
                        return new CgroupTree(layout, cgroupParent + "/" + LocalHosts.hostName("local", 1)).removeParent();
                    } catch (IOException e) {
                        return false;
                    }
                });
            } catch (AssertionError e) {
                System.err.println("warning: " + e.getMessage() + "; left under " + cgroupParent);
            }
        }
    }

    /** Runs the trials on one endpoint; returns the relief times its guest measured, in nanoseconds. */
    private static long[] runTrials(ResourceRegistry registry, ProcessDriver driver, String endpoint, int trials)
            throws Exception {
        String compute = awaitSize(registry, endpoint, Cu.QUARTER, null);
        ComputeCgroup cgroup = driver.cgroup(compute).orElseThrow();
        Process hog = new ProcessBuilder(joiningMemoryOnly(cgroup, List.of("perl", "-e", HOG)))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (Writer commands = new OutputStreamWriter(hog.getOutputStream(), StandardCharsets.US_ASCII);
             BufferedReader answers = new BufferedReader(new InputStreamReader(hog.getInputStream(), StandardCharsets.US_ASCII))) {
            for (int trial = 0; trial < trials; trial++) {
                awaitSize(registry, endpoint, Cu.QUARTER, cgroup);
                Await.until(WAIT, compute + " back at 1 GiB", () -> limit(cgroup) == 1024 * MIB);
                command(commands, answers, "a 950");
                Await.until(WAIT, compute + " relieved", () -> limit(cgroup) > 1024 * MIB);
                command(commands, answers, "f");
            }
        } finally {
            hog.destroyForcibly().waitFor();
        }
        return driver.guestAgent(compute).orElseThrow().reliefNanos();
    }

    private static void command(Writer commands, BufferedReader answers, String command) throws IOException {
        commands.write(command + "\n");
        commands.flush();
        if (!"ok".equals(answers.readLine())) {
            throw new IOException("the memory hog did not answer " + command);
        }
    }

    /**
     * The command joining only the compute's memory cgroup: the hog's memory is the pressure; under
     * the 0.25 CU CPU quota its page faults would take about a second, long enough for the
     * once-a-second metrics to grow the compute before the threshold is ever crossed.
     */
    private static List<String> joiningMemoryOnly(ComputeCgroup cgroup, List<String> command) {
        List<Path> memory = cgroup.procsFiles().stream().filter(procs -> procs.toString().contains("/memory/")).toList();
        if (memory.size() != 1) {
            throw new IllegalStateException("expected one memory cgroup (v1) among " + cgroup.procsFiles());
        }
        List<String> full = new ArrayList<>(List.of("/bin/sh", "-c", "echo $$ > '" + memory.get(0) + "' || exit 125; exec \"$@\"", "sh"));
        full.addAll(command);
        return full;
    }

    /** Waits until the endpoint runs at {@code size}, host-confirmed; returns its compute. */
    private static String awaitSize(ResourceRegistry registry, String endpoint, Cu size, ComputeCgroup cgroup) {
        String[] compute = new String[1];
        try {
            Await.until(WAIT, endpoint + " running at " + size + " CU", () -> {
                Optional<Endpoint> found = registry.get(Endpoint.class, Kind.ENDPOINT, endpoint);
                Endpoint.Status status = found.map(Endpoint::status).orElse(null);
                compute[0] = status == null ? null : status.compute();
                return status != null && status.phase() == Endpoint.Phase.Running && size.equals(status.cu());
            });
        } catch (AssertionError e) {
            Endpoint.Status status = registry.get(Endpoint.class, Kind.ENDPOINT, endpoint).map(Endpoint::status).orElse(null);
            throw new AssertionError(e.getMessage() + "; its status: " + status + "; its compute's: " + (compute[0] == null ? null
                    : registry.get(io.tidepool.api.resource.Compute.class, Kind.COMPUTE, compute[0]).map(c -> c.status())
                            .orElse(null)) + "; its cgroup's memory: " + memoryStat(cgroup), e);
        }
        return compute[0];
    }

    private static String memoryStat(ComputeCgroup cgroup) {
        if (cgroup == null) {
            return "unknown";
        }
        try {
            return cgroup.memoryBreakdown() + ", processes " + cgroup.processes();
        } catch (IOException e) {
            return "unreadable: " + e.getMessage();
        }
    }

    private static long limit(ComputeCgroup cgroup) {
        try {
            return cgroup.memoryLimit().value();
        } catch (IOException e) {
            return -1;
        }
    }

    private static double ms(long[] sorted, double quantile) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1)] / 1e6;
    }

    private static ProcessDriver driver(String host, Path computes, CgroupLayout layout, String parent,
                                        Map<String, ProcessDriver> drivers) {
        try {
            ProcessDriver driver = new ProcessDriver(new ProcessDriver.Settings(computes, "tidepool",
                    Optional.of(new CgroupTree(layout, parent + "/" + host)), WAIT));
            drivers.put(host, driver);
            return driver;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The control planes of a store of {@code nodes} nodes, started together (a majority elects). */
    private static List<ControlPlane> startPlanes(Path work, int nodes) throws Exception {
        ControlLoop.Settings controllers = ControlLoop.Settings.DEFAULT.withScaling(new ScalingPolicy(0.9, 0.75, 0.75,
                Duration.ofSeconds(3), Duration.ofSeconds(3), Duration.ofMinutes(2)));
        List<Peer> peers = new ArrayList<>();
        for (int i = 1; i <= nodes; i++) {
            peers.add(new Peer("n" + i, "127.0.0.1:" + LoopbackPort.free()));
        }
        ExecutorService starters = Executors.newFixedThreadPool(nodes);
        List<Future<ControlPlane>> started = new ArrayList<>();
        for (Peer peer : peers) {
            started.add(starters.submit(() -> ControlPlane.start(new ControlPlane.Config(peer.id(),
                    work.resolve(peer.id()), peers, "127.0.0.1", 0, controllers))));
        }
        List<ControlPlane> planes = new ArrayList<>();
        for (Future<ControlPlane> plane : started) {
            planes.add(plane.get());
        }
        starters.shutdown();
        return planes;
    }

    private static Telemetry leaderTelemetry(List<ControlPlane> planes) {
        for (ControlPlane plane : planes) {
            Telemetry telemetry = plane.leaderTelemetry();
            if (telemetry != null) {
                return telemetry;
            }
        }
        return null;
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new java.util.HashMap<>();
        for (int i = 1; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        return options;
    }
}
