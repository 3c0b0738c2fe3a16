package io.tidepool.server.cli;

import io.tidepool.api.quantity.Bytes;
import io.tidepool.api.quantity.MilliCpu;
import io.tidepool.api.resource.Cell;
import io.tidepool.api.resource.HostShape;
import io.tidepool.api.resource.Kind;
import io.tidepool.manifests.cli.CliException;
import io.tidepool.manifests.cli.ExitCode;
import io.tidepool.manifests.client.ClientConfig;
import io.tidepool.manifests.source.ManifestFile;
import io.tidepool.registry.ResourceRegistry;
import io.tidepool.server.ControlPlane;
import io.tidepool.server.hosts.LocalHosts;
import io.tidepool.server.hosts.LocalMachine;
import io.tidepool.server.hosts.SimulatedTenants;
import io.tidepool.store.ratis.Peer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "up", description = {
        "Run Tidepool on this machine: a single-node store, the control plane and local host agents.",
        "Writes the client config so that the other verbs work with no flags.",
        "Ctrl-C stops it; running it again on the same data dir resumes."})
public final class UpCommand implements Callable<Integer> {
    private static final String NODE_ID = "n1";
    private static final String LOOPBACK = "127.0.0.1";
    /** Simulated hosts are not this machine: they get the shape of a typical big host. */
    static final HostShape SIM_HOST_SHAPE = new HostShape(MilliCpu.ofCpus(16), Bytes.ofGibibytes(64));

    /** How local hosts run computes. */
    enum Driver { auto, process, sim }

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Where the store and the admin token live (default: ~/.tidepool/data)")
    Path dataDir = Path.of(System.getProperty("user.home"), ".tidepool", "data");

    @Option(names = "--port", paramLabel = "N", defaultValue = "7480", description = "API port (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--cell", paramLabel = "NAME", defaultValue = "local",
            description = "Cell of this machine's hosts, created if it does not exist (default: ${DEFAULT-VALUE})")
    String cell;

    @Option(names = "--hosts", paramLabel = "N", defaultValue = "2",
            description = "Host agents to run in this process, 0 for none (default: ${DEFAULT-VALUE})")
    int hosts;

    @Option(names = "--driver", paramLabel = "DRIVER", defaultValue = "auto",
            description = "How the hosts run computes: sim (simulated, no Postgres), process (real Postgres in "
                    + "cgroups; needs root, cgroups and Postgres 15) or auto, which is sim until the guest agent "
                    + "lands (default: ${DEFAULT-VALUE})")
    Driver driver;

    @Option(names = "--computes-dir", paramLabel = "DIR", defaultValue = "/var/lib/tidepool/computes",
            description = "With --driver process: where endpoints' databases and logs live, reachable by the "
                    + "computes' user (default: ${DEFAULT-VALUE})")
    Path computesDir;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (hosts < 0 || hosts > LocalHosts.MAX_HOSTS) {
            throw new ParameterException(spec.commandLine(), "--hosts: expected from 0 to " + LocalHosts.MAX_HOSTS + ", got " + hosts);
        }
        LocalMachine machine = LocalMachine.detect();
        if (driver == Driver.process) {
            Optional<String> unavailable = machine.processDriverUnavailable();
            if (unavailable.isPresent()) {
                throw new CliException(ExitCode.INVALID, "--driver process: " + unavailable.get() + "; use --driver sim");
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        String raftAddress = new LocalNode(dataDir).raftAddress(LOOPBACK, port + 1);
        ControlPlane plane = ControlPlane.start(new ControlPlane.Config(
                NODE_ID, dataDir, List.of(new Peer(NODE_ID, raftAddress)), LOOPBACK, port));
        LocalHosts localHosts;
        boolean created;
        HostShape shape;
        try {
            Clock clock = Clock.systemUTC();
            if (driver == Driver.process) {
                // Local hosts are this machine: each takes its slice, whatever the cell's template says.
                shape = LocalMachine.slice(hosts);
                created = ensureCell(plane, shape, LocalMachine.CPU_OVERCOMMIT);
                localHosts = LocalHosts.start(plane.store(), plane::leaderTelemetry, LocalHosts.Settings.of(cell, hosts, shape),
                        machine.processDrivers(computesDir), clock);
            } else {
                created = ensureCell(plane, SIM_HOST_SHAPE, 1.0);
                shape = hostShape(plane);
                localHosts = LocalHosts.start(plane.store(), plane::leaderTelemetry, LocalHosts.Settings.of(cell, hosts, shape),
                        SimulatedTenants.drivers(clock.instant()), clock);
            }
        } catch (RuntimeException | IOException e) {
            plane.close();
            throw e;
        }
        Foreground.runUntilStopped(() -> {
            localHosts.close();
            plane.close();
        }, () -> announce(plane, localHosts, machine, created ? "created, hosts of " + shapeText(shape) : "hosts of " + shapeText(shape), out));
        return 0;
    }

    private void announce(ControlPlane plane, LocalHosts localHosts, LocalMachine machine, String cellText, PrintWriter out) {
        String url = "http://" + LOOPBACK + ":" + plane.httpPort();
        Path configPath = ClientConfig.defaultPath(System.getenv());
        try {
            new ClientConfig(url, plane.adminToken()).write(configPath);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the client config " + configPath + ": " + e.getMessage(), e);
        }

        out.println("Tidepool is up.");
        out.println("  API:       " + url);
        out.println("  data dir:  " + dataDir.toAbsolutePath());
        out.println("  cell:      " + cell + " (" + cellText + ")");
        out.println("  hosts:     " + (localHosts.names().isEmpty() ? "none in this process (--hosts 0)"
                : String.join(", ", localHosts.names())));
        if (driver == Driver.process) {
            out.println("  driver:    process: real Postgres in cgroups (" + machine.cgroupVersion() + "), data in "
                    + computesDir.toAbsolutePath());
        } else {
            out.println("  driver:    sim: simulated computes, no Postgres; tenant workloads play "
                    + SimulatedTenants.SPEED + "x faster than the clock");
        }
        if (driver == Driver.auto) {
            out.println("             (auto is sim until the guest agent lands; --driver process runs real Postgres)");
        }
        out.println("  config:    " + configPath + " (server URL and admin token for the CLI)");
        out.println();
        out.println("Try:  ./tidepool apply -f examples/quickstart    (or examples/sim: twenty endpoints)");
        out.println("      ./tidepool get endpoints");
        out.println("      ./tidepool describe endpoint shop");
        if (driver == Driver.process) {
            out.println("      ./tidepool get endpoint shop -o yaml    (status.address is a psql connection URI)");
        }
        out.println("Press Ctrl-C to stop.");
        out.flush();
    }

    /** Creates this machine's cell unless it exists; an operator's own changes to it are kept. */
    private boolean ensureCell(ControlPlane plane, HostShape template, double cpuOvercommit) {
        if (new ResourceRegistry(plane.store()).get(Kind.CELL, cell).isPresent()) {
            return false;
        }
        String manifest = """
                apiVersion: tidepool.io/v1
                kind: Cell
                metadata:
                  name: %s
                spec:
                  hostTemplate: {cpus: %s, memory: %s}
                  cpuOvercommit: %s
                  provider: {type: static}
                """.formatted(cell, template.cpus(), template.memory(), cpuOvercommit);
        var response = plane.applier().apply(List.of(new ManifestFile("tidepool up --cell " + cell, manifest)), false);
        if (!response.errors().isEmpty()) {
            throw new IllegalArgumentException("cannot create cell " + cell + ": " + response.errors().get(0).format());
        }
        return true;
    }

    /** Local hosts take their cell's host template, as a provider's new host would. */
    private HostShape hostShape(ControlPlane plane) {
        return new ResourceRegistry(plane.store()).get(Cell.class, Kind.CELL, cell)
                .map(c -> c.spec().hostTemplate())
                .orElse(SIM_HOST_SHAPE);
    }

    private static String shapeText(HostShape shape) {
        return shape.cpus() + " cpus, " + shape.memory();
    }
}
