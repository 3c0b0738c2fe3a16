package io.tidepool.server.bench;

import io.tidepool.api.quantity.Cu;
import io.tidepool.api.quantity.MilliCpu;
import io.tidepool.api.resource.Compute;
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
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * What the benchmarks of real computes run on: a store of 1 or 3 Ratis nodes in this JVM, each
 * node with its control plane and the real control loop, a cell named {@code local}, and one local
 * host running the process driver (real Postgres, real cgroups, guest agents). Needs root, cgroup
 * v1 and Postgres 15.
 */
final class BenchFleet implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(120);
    private static final String CELL = """
            apiVersion: tidepool.io/v1
            kind: Cell
            metadata: {name: local}
            spec: {hostTemplate: {cpus: 8, memory: 16Gi}}
            """;

    private final List<ControlPlane> planes;
    private final CgroupLayout layout;
    private final String cgroupParent;
    private final LocalHosts hosts;
    private final ProcessDriver driver;

    private BenchFleet(List<ControlPlane> planes, CgroupLayout layout, String cgroupParent, LocalHosts hosts,
                       ProcessDriver driver) {
        this.planes = planes;
        this.layout = layout;
        this.cgroupParent = cgroupParent;
        this.hosts = hosts;
        this.driver = driver;
    }

    /** A fleet on a store of {@code nodes} nodes whose autoscaler follows {@code scaling}. */
    static BenchFleet start(int nodes, ScalingPolicy scaling) throws Exception {
        Path work = Files.createTempDirectory("tidepool-bench-");
        Path computes = Files.createTempDirectory(Path.of("/var/tmp"), "tidepool-bench-");
        Files.setPosixFilePermissions(computes, PosixFilePermissions.fromString("rwxr-xr-x"));
        CgroupLayout layout = CgroupLayout.detect();
        String cgroupParent = "tidepool-bench-" + UUID.randomUUID().toString().substring(0, 8);
        List<ControlPlane> planes = startPlanes(work, nodes, ControlLoop.Settings.DEFAULT.withScaling(scaling));
        Map<String, ProcessDriver> drivers = new HashMap<>();
        try {
            planes.get(0).applier().apply(List.of(new ManifestFile("cell.yaml", CELL)), false);
            HostShape shape = new HostShape(MilliCpu.ofCpus(8), LocalMachine.slice(1).memory());
            LocalHosts hosts = LocalHosts.start(planes.get(0).store(), () -> leaderTelemetry(planes),
                    LocalHosts.Settings.of("local", 1, shape), host -> {
                        ProcessDriver driver = driver(computes, new CgroupTree(layout, cgroupParent + "/" + host));
                        drivers.put(host, driver);
                        return driver;
                    }, Clock.systemUTC());
            return new BenchFleet(planes, layout, cgroupParent, hosts, drivers.get(LocalHosts.hostName("local", 1)));
        } catch (Exception | Error e) {
            planes.forEach(ControlPlane::close);
            throw e;
        }
    }

    /** Applies manifests as an operator would; throws when any is refused. */
    void apply(String name, String yaml) {
        var response = planes.get(0).applier().apply(List.of(new ManifestFile(name, yaml)), false);
        if (!response.errors().isEmpty()) {
            throw new IllegalArgumentException(response.errors().get(0).format());
        }
    }

    ResourceRegistry registry() {
        return new ResourceRegistry(planes.get(0).store());
    }

    ProcessDriver driver() {
        return driver;
    }

    Optional<Endpoint.Status> status(String endpoint) {
        return registry().get(Endpoint.class, Kind.ENDPOINT, endpoint).map(Endpoint::status);
    }

    /** Waits until the endpoint runs at {@code size}, host-confirmed; returns its compute. */
    String awaitSize(String endpoint, Cu size) {
        String[] compute = new String[1];
        try {
            Await.until(WAIT, endpoint + " running at " + size + " CU", () -> {
                Endpoint.Status status = status(endpoint).orElse(null);
                compute[0] = status == null ? null : status.compute();
                return status != null && status.phase() == Endpoint.Phase.Running && size.equals(status.cu());
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; its status: " + status(endpoint).orElse(null)
                    + "; its compute's: " + (compute[0] == null ? null : computeState(compute[0])), e);
        }
        return compute[0];
    }

    private String computeState(String compute) {
        String status = registry().get(Compute.class, Kind.COMPUTE, compute).map(c -> String.valueOf(c.status())).orElse("gone");
        Optional<ComputeCgroup> cgroup = driver.cgroup(compute);
        if (cgroup.isEmpty()) {
            return status;
        }
        try {
            return status + "; its cgroup's memory " + cgroup.get().memoryBreakdown() + ", processes " + cgroup.get().processes();
        } catch (IOException e) {
            return status + "; its cgroup is unreadable: " + e.getMessage();
        }
    }

    @Override
    public void close() {
        hosts.close();
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

    /** {@code --name value} pairs after the verb in {@code args[0]}. */
    static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 1; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        return options;
    }

    /** The {@code quantile} of sorted nanoseconds, in milliseconds. */
    static double ms(long[] sorted, double quantile) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1)] / 1e6;
    }

    private static ProcessDriver driver(Path computes, CgroupTree cgroups) {
        try {
            return new ProcessDriver(new ProcessDriver.Settings(computes, "tidepool", Optional.of(cgroups), WAIT));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The control planes of a store of {@code nodes} nodes, started together (a majority elects). */
    private static List<ControlPlane> startPlanes(Path work, int nodes, ControlLoop.Settings controllers) throws Exception {
        List<Peer> peers = new ArrayList<>();
        for (int i = 1; i <= nodes; i++) {
            peers.add(new Peer("n" + i, "127.0.0.1:" + LoopbackPort.free()));
        }
        ExecutorService starters = Executors.newFixedThreadPool(nodes);
        try {
            List<Future<ControlPlane>> started = new ArrayList<>();
            for (Peer peer : peers) {
                started.add(starters.submit(() -> ControlPlane.start(new ControlPlane.Config(peer.id(),
                        work.resolve(peer.id()), peers, "127.0.0.1", 0, controllers))));
            }
            List<ControlPlane> planes = new ArrayList<>();
            for (Future<ControlPlane> plane : started) {
                planes.add(plane.get());
            }
            return planes;
        } finally {
            starters.shutdown();
        }
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
}
