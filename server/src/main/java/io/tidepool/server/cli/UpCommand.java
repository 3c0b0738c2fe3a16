package io.tidepool.server.cli;

import io.tidepool.agent.ComputeDriver;
import io.tidepool.api.quantity.Bytes;
import io.tidepool.api.quantity.MilliCpu;
import io.tidepool.api.resource.Cell;
import io.tidepool.api.resource.HostShape;
import io.tidepool.api.resource.Kind;
import io.tidepool.manifests.client.ClientConfig;
import io.tidepool.manifests.source.ManifestFile;
import io.tidepool.registry.ResourceRegistry;
import io.tidepool.server.ControlPlane;
import io.tidepool.server.hosts.LocalHosts;
import io.tidepool.server.hosts.LocalMachine;
import io.tidepool.server.hosts.SimulatedTenants;
import io.tidepool.server.proxy.PortRange;
import io.tidepool.server.proxy.ProxySettings;
import io.tidepool.server.sync.SyncSettings;
import io.tidepool.store.ratis.Peer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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
                    + "cgroups; needs root, cgroups and Postgres 15) or auto, which is process where this machine "
                    + "has what it needs and sim otherwise, saying why (default: ${DEFAULT-VALUE})")
    Driver driver;

    @Option(names = "--computes-dir", paramLabel = "DIR", defaultValue = "/var/lib/tidepool/computes",
            description = "With the process driver: where endpoints' databases and logs live, reachable by the "
                    + "computes' user (default: ${DEFAULT-VALUE})")
    Path computesDir;

    @Option(names = "--cgroup-parent", paramLabel = "NAME", defaultValue = LocalMachine.CGROUP_PARENT,
            description = "With the process driver: the cgroup that holds the hosts' computes, as NAME/HOST/COMPUTE "
                    + "under up's own cgroup on v1 and under the root on v2 (default: ${DEFAULT-VALUE})")
    String cgroupParent;

    @Mixin
    SyncOptions sync;

    @Mixin
    ProxyOptions proxy;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (hosts < 0 || hosts > LocalHosts.MAX_HOSTS) {
            throw new ParameterException(spec.commandLine(), "--hosts: expected from 0 to " + LocalHosts.MAX_HOSTS + ", got " + hosts);
        }
        LocalMachine machine = LocalMachine.detect();
        DriverChoice choice = DriverChoice.of(driver, driver == Driver.sim ? Optional.empty() : machine.processDriverUnavailable());
        Function<String, ComputeDriver> processDrivers = choice.driver() == Driver.process ? processDrivers(machine) : null;
        PrintWriter out = spec.commandLine().getOut();
        String raftAddress = new LocalNode(dataDir).raftAddress(LOOPBACK, port + 1);
        Optional<SyncSettings> syncSettings = sync.settings(spec.commandLine());
        // Simulated computes have no Postgres to connect to: their endpoints keep their sim:// addresses.
        Optional<ProxySettings> proxySettings = proxy.settings(spec.commandLine(), LOOPBACK,
                choice.driver() == Driver.process ? Optional.of(PortRange.DEFAULT) : Optional.empty());
        ControlPlane plane = ControlPlane.start(new ControlPlane.Config(
                NODE_ID, dataDir, List.of(new Peer(NODE_ID, raftAddress)), LOOPBACK, port).withSync(syncSettings)
                .withProxy(proxySettings));
        PsqlLines psqlLines = null;
        LocalHosts localHosts;
        boolean created;
        HostShape shape;
        try {
            // Before the hosts start, so that no endpoint starting with them goes unannounced.
            psqlLines = PsqlLines.follow(plane.store(), out);
            Clock clock = Clock.systemUTC();
            if (choice.driver() == Driver.process) {
                // Local hosts are this machine: each takes its slice, whatever the cell's template says.
                shape = LocalMachine.slice(hosts);
                created = ensureCell(plane, shape, LocalMachine.CPU_OVERCOMMIT);
                localHosts = LocalHosts.start(plane.store(), plane::leaderTelemetry, LocalHosts.Settings.of(cell, hosts, shape),
                        processDrivers, clock);
            } else {
                created = ensureCell(plane, SIM_HOST_SHAPE, 1.0);
                shape = hostShape(plane);
                localHosts = LocalHosts.start(plane.store(), plane::leaderTelemetry, LocalHosts.Settings.of(cell, hosts, shape),
                        SimulatedTenants.drivers(clock.instant()), clock);
            }
        } catch (RuntimeException | IOException e) {
            if (psqlLines != null) {
                psqlLines.close();
            }
            plane.close();
            throw e;
        }
        PsqlLines lines = psqlLines;
        String cellText = created ? "created, hosts of " + shapeText(shape) : "hosts of " + shapeText(shape);
        Foreground.runUntilStopped(() -> {
            lines.close();
            localHosts.close();
            plane.close();
        }, () -> {
            announce(plane, localHosts, machine, choice, cellText, syncSettings, proxySettings, out);
            lines.start();
        });
        return 0;
    }

    private Function<String, ComputeDriver> processDrivers(LocalMachine machine) {
        try {
            return machine.processDrivers(computesDir, cgroupParent);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--cgroup-parent: " + e.getMessage());
        }
    }

    private void announce(ControlPlane plane, LocalHosts localHosts, LocalMachine machine, DriverChoice choice,
                          String cellText, Optional<SyncSettings> syncSettings, Optional<ProxySettings> proxySettings,
                          PrintWriter out) {
        String url = "http://" + LOOPBACK + ":" + plane.httpPort();
        Path configPath = ClientConfig.defaultPath(System.getenv());
        try {
            new ClientConfig(url, plane.adminToken()).write(configPath);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the client config " + configPath + ": " + e.getMessage(), e);
        }

        out.println("Tidepool is up.");
        out.println("  API:       " + url);
        out.println("  console:   " + url + plane.newConsoleLoginPath());
        out.println("             (log in once with this link within 10 minutes; ./tidepool console-link makes another)");
        out.println("  data dir:  " + dataDir.toAbsolutePath());
        out.println("  cell:      " + cell + " (" + cellText + ")");
        out.println("  hosts:     " + (localHosts.names().isEmpty() ? "none in this process (--hosts 0)"
                : String.join(", ", localHosts.names())));
        String computes = choice.driver() == Driver.process
                ? "real Postgres in cgroups " + machine.cgroupVersion().name().toLowerCase(Locale.ROOT) + " (under "
                        + cgroupParent + "), data in " + computesDir.toAbsolutePath()
                : "simulated computes, no Postgres; tenant workloads play " + SimulatedTenants.SPEED + "x faster than the clock";
        if (choice.auto().isPresent()) {
            // What auto saw makes the line long: the computes go on the next one.
            out.println("  driver:    " + choice.label());
            out.println("             " + computes);
        } else {
            out.println("  driver:    " + choice.label() + ": " + computes);
        }
        out.println("  config:    " + configPath + " (server URL and admin token for the CLI)");
        syncSettings.ifPresent(settings -> out.println("  sync:      " + settings.describe()));
        proxySettings.ifPresent(settings -> out.println("  proxy:     " + settings.advertisedHost() + ", ports "
                + settings.ports() + " (one per endpoint, kept across moves, restarts and suspends"
                + (settings.tlsCertificate().isPresent() ? "; TLS for clients that ask" : "") + ")"));
        out.println();
        out.println("Try:  ./tidepool apply -f examples/quickstart    (or examples/sim: twenty endpoints)");
        out.println("      ./tidepool get endpoints");
        out.println("      ./tidepool describe endpoint shop");
        if (choice.driver() == Driver.process) {
            out.println("      ./tidepool psql shop                      (or: psql \"$(./tidepool connection-string shop)\")");
            out.println("Each endpoint says here how to connect to it with psql once it first runs; its address stays.");
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
