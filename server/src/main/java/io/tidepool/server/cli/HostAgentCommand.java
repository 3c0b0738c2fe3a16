package io.tidepool.server.cli;

import io.tidepool.agent.ComputeDriver;
import io.tidepool.agent.ControlPlaneLink;
import io.tidepool.agent.HostAgent;
import io.tidepool.agent.remote.AgentLoop;
import io.tidepool.agent.remote.RestLink;
import io.tidepool.api.quantity.Bytes;
import io.tidepool.api.quantity.MilliCpu;
import io.tidepool.api.resource.Host;
import io.tidepool.api.resource.HostShape;
import io.tidepool.api.resource.ObjectMeta;
import io.tidepool.api.validation.ManifestValidator;
import io.tidepool.manifests.cli.CliException;
import io.tidepool.manifests.cli.ExitCode;
import io.tidepool.manifests.client.ClientConfig;
import io.tidepool.server.hosts.LocalHosts;
import io.tidepool.server.hosts.LocalMachine;
import io.tidepool.server.hosts.SimulatedTenants;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "host-agent", description = {
        "Run the agent of this host: it registers the host in its cell and runs the computes placed on it.",
        "It talks to the control plane over the REST API with the host's own token (tidepool token create --host NAME).",
        "Ctrl-C or SIGTERM stops it and its computes; their data stays."})
public final class HostAgentCommand implements Callable<Integer> {

    /** How the host runs computes. */
    enum Driver { process, sim }

    @Option(names = "--server", split = ",", paramLabel = "URL",
            description = "Control-plane nodes, e.g. http://10.0.0.1:7480,http://10.0.0.2:7480 (default: from the client config)")
    List<URI> servers = new ArrayList<>();

    @Option(names = "--config", paramLabel = "FILE", description = "Client config file (default: $TIDEPOOL_CONFIG or ~/.tidepool/config.yaml)")
    Path config;

    @Option(names = "--token-file", paramLabel = "FILE", description = "The host's token (default: $TIDEPOOL_TOKEN)")
    Path tokenFile;

    @Option(names = "--name", paramLabel = "HOST", description = "This host's name (default: the machine's hostname)")
    String name;

    @Option(names = "--cell", paramLabel = "CELL", defaultValue = "local", description = "The cell the host joins (default: ${DEFAULT-VALUE})")
    String cell;

    @Option(names = "--cpus", paramLabel = "N", description = "CPUs the host offers, like 16 or 7500m (default: the machine's; with --driver sim, 16)")
    String cpus;

    @Option(names = "--memory", paramLabel = "SIZE", description = "Memory the host offers, like 64Gi (default: three quarters of the machine's; with --driver sim, 64Gi)")
    String memory;

    @Option(names = "--driver", paramLabel = "DRIVER", defaultValue = "process",
            description = "process (real Postgres in cgroups; needs root, cgroups and Postgres 15) or sim (simulated computes) (default: ${DEFAULT-VALUE})")
    Driver driver;

    @Option(names = "--computes-dir", paramLabel = "DIR", defaultValue = "/var/lib/tidepool/computes",
            description = "With --driver process: where endpoints' databases and logs live (default: ${DEFAULT-VALUE})")
    Path computesDir;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        List<URI> urls = servers();
        String token = token();
        String hostName = hostName();
        HostShape shape = shape();
        Clock clock = Clock.systemUTC();
        ComputeDriver computes = drivers(clock).apply(hostName);
        Host host = new Host(ObjectMeta.named(hostName).withCreationTimestamp(clock.instant()),
                new Host.Spec(cell, shape, false), null);
        RestLink link = RestLink.connect(urls, token, hostName);
        PrintWriter out = spec.commandLine().getOut();
        try {
            link.register(host);
        } catch (IllegalArgumentException refused) {
            stop(null, computes, link);
            throw new CliException(ExitCode.INVALID, refused.getMessage());
        } catch (ControlPlaneLink.UnreachableException notYet) {
            // The link has said so; the agent registers on its first round that gets through.
        }
        AgentLoop loop = new AgentLoop(new HostAgent(host, link, computes, LocalHosts.Settings.LEASE), link,
                LocalHosts.Settings.STEP_INTERVAL, clock);
        Foreground.runUntilStopped(() -> stop(loop, computes, link), () -> {
            loop.start();
            out.println("Host agent " + hostName + " is running.");
            out.println("  control plane: " + String.join(", ", urls.stream().map(URI::toString).toList()));
            out.println("  cell:          " + cell + " (" + shape.cpus() + " cpus, " + shape.memory() + ")");
            out.println("  driver:        " + (driver == Driver.process
                    ? "process: real Postgres in cgroups, data in " + computesDir.toAbsolutePath()
                    : "sim: simulated computes, no Postgres"));
            out.println("Press Ctrl-C to stop; its computes stop with it (their data stays).");
            out.flush();
        });
        return ExitCode.OK;
    }

    private static void stop(AgentLoop loop, ComputeDriver computes, RestLink link) {
        try {
            if (loop != null) {
                loop.close();
            }
            if (computes instanceof AutoCloseable closeable) {
                closeable.close();
            }
        } catch (Exception e) {
            System.err.println("warning: stopping the computes failed: " + e.getMessage());
        } finally {
            link.close();
        }
    }

    private List<URI> servers() {
        List<URI> urls = servers;
        if (urls.isEmpty()) {
            Path path = config != null ? config : ClientConfig.defaultPath(System.getenv());
            urls = ClientConfig.read(path).map(c -> List.of(URI.create(c.server()))).orElseThrow(() ->
                    new CliException(ExitCode.INVALID, "no control plane given: pass --server URL[,URL...] (" + path + " not found)"));
        }
        for (URI url : urls) {
            if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme()) || url.getHost() == null) {
                throw new ParameterException(spec.commandLine(), "--server: expected a URL like http://10.0.0.1:7480, got " + url);
            }
        }
        return urls;
    }

    private String token() throws IOException {
        String token;
        if (tokenFile != null) {
            if (!Files.isReadable(tokenFile)) {
                throw new ParameterException(spec.commandLine(), "--token-file: cannot read " + tokenFile);
            }
            token = Files.readString(tokenFile, StandardCharsets.UTF_8).trim();
        } else {
            token = Optional.ofNullable(System.getenv(ClientConfig.TOKEN_ENV)).map(String::trim).orElse("");
        }
        if (token.isEmpty()) {
            throw new CliException(ExitCode.INVALID, "no token: pass --token-file FILE or set " + ClientConfig.TOKEN_ENV
                    + " to this host's own token (an admin makes one with: tidepool token create --host NAME)");
        }
        return token;
    }

    private String hostName() throws IOException {
        String chosen = name;
        String origin = "--name";
        if (chosen == null) {
            String hostname = InetAddress.getLocalHost().getHostName();
            chosen = hostname.split("\\.", 2)[0].toLowerCase(Locale.ROOT);
            origin = "this machine's hostname (" + hostname + "); pass --name";
        }
        String checked = chosen;
        String from = origin;
        ManifestValidator.nameProblem(checked).ifPresent(problem -> {
            throw new ParameterException(spec.commandLine(), from + ": " + problem);
        });
        return checked;
    }

    private HostShape shape() throws IOException {
        HostShape machine = driver == Driver.sim ? UpCommand.SIM_HOST_SHAPE : LocalMachine.slice(1);
        return new HostShape(cpus == null ? machine.cpus() : parse("--cpus", cpus, MilliCpu::parse),
                memory == null ? machine.memory() : parse("--memory", memory, Bytes::parse));
    }

    private <T> T parse(String option, String text, Function<String, T> parser) {
        try {
            return parser.apply(text);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), option + ": " + e.getMessage());
        }
    }

    private Function<String, ComputeDriver> drivers(Clock clock) throws IOException, InterruptedException {
        if (driver == Driver.sim) {
            return SimulatedTenants.drivers(clock.instant());
        }
        LocalMachine machine = LocalMachine.detect();
        Optional<String> unavailable = machine.processDriverUnavailable();
        if (unavailable.isPresent()) {
            throw new CliException(ExitCode.INVALID, "--driver process: " + unavailable.get() + "; use --driver sim");
        }
        return machine.processDrivers(computesDir);
    }
}
