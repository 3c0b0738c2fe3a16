package io.tidepool.server.cli;

import io.tidepool.api.quantity.Bytes;
import io.tidepool.api.resource.Kind;
import io.tidepool.manifests.client.ClientConfig;
import io.tidepool.manifests.source.ManifestFile;
import io.tidepool.registry.ResourceRegistry;
import io.tidepool.server.ControlPlane;
import io.tidepool.store.ratis.Peer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "up", description = {
        "Run Tidepool on this machine: a single-node store and the control plane, serving the API.",
        "Writes the client config so that the other verbs work with no flags. Ctrl-C stops it;",
        "running it again on the same data dir resumes."})
public final class UpCommand implements Callable<Integer> {
    private static final String NODE_ID = "n1";
    private static final String LOOPBACK = "127.0.0.1";

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Where the store and the admin token live (default: ~/.tidepool/data)")
    Path dataDir = Path.of(System.getProperty("user.home"), ".tidepool", "data");

    @Option(names = "--port", paramLabel = "N", defaultValue = "7480", description = "API port (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--cell", paramLabel = "NAME", defaultValue = "local",
            description = "Cell of this machine's hosts, created if it does not exist (default: ${DEFAULT-VALUE})")
    String cell;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        String raftAddress = new LocalNode(dataDir).raftAddress(LOOPBACK, port + 1);
        ControlPlane plane = ControlPlane.start(new ControlPlane.Config(
                NODE_ID, dataDir, List.of(new Peer(NODE_ID, raftAddress)), LOOPBACK, port));
        Foreground.runUntilStopped(plane, () -> announce(plane, out));
        return 0;
    }

    private void announce(ControlPlane plane, PrintWriter out) {
        boolean created = ensureCell(plane);
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
        out.println("  cell:      " + cell + (created ? " (created, " + machineShapeText() + ")" : ""));
        out.println("  config:    " + configPath + " (server URL and admin token for the CLI)");
        out.println();
        out.println("Try:  ./tidepool apply -f examples/quickstart");
        out.println("      ./tidepool get endpoints");
        out.println("Press Ctrl-C to stop.");
        out.flush();
    }

    /** Creates this machine's cell unless it exists; an operator's own changes to it are kept. */
    private boolean ensureCell(ControlPlane plane) {
        if (new ResourceRegistry(plane.store()).get(Kind.CELL, cell).isPresent()) {
            return false;
        }
        String manifest = """
                apiVersion: tidepool.io/v1
                kind: Cell
                metadata:
                  name: %s
                spec:
                  hostTemplate: {cpus: %d, memory: %s}
                  provider: {type: static}
                """.formatted(cell, Runtime.getRuntime().availableProcessors(), machineMemory());
        var response = plane.applier().apply(List.of(new ManifestFile("tidepool up --cell " + cell, manifest)), false);
        if (!response.errors().isEmpty()) {
            throw new IllegalArgumentException("cannot create cell " + cell + ": " + response.errors().get(0).format());
        }
        return true;
    }

    private static String machineShapeText() {
        return Runtime.getRuntime().availableProcessors() + " cpus, " + machineMemory() + " per host";
    }

    /** This machine's memory, in whole GiB, as the host template of its cell. */
    private static Bytes machineMemory() {
        long total = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize();
        return Bytes.ofGibibytes(Math.max(1, total >> 30));
    }
}
