package io.tidepool.server.hosts;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tidepool.agent.ComputeDriver;
import io.tidepool.api.quantity.Bytes;
import io.tidepool.api.quantity.MilliCpu;
import io.tidepool.api.resource.HostShape;
import io.tidepool.control.ControlLoop;
import io.tidepool.guest.cgroup.CgroupLayout;
import io.tidepool.guest.cgroup.CgroupTree;
import io.tidepool.postgres.PostgresServer;
import io.tidepool.process.ProcessDriver;
import io.tidepool.server.LocalFleet;
import io.tidepool.server.proxy.PortRange;
import io.tidepool.server.proxy.ProxySettings;
import io.tidepool.store.Await;
import io.tidepool.store.LoopbackPort;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * {@code up --driver process --proxy-ports ...} in a test: local hosts on real Postgres in real
 * cgroups sharing one computes directory, a control plane that serves every endpoint through the
 * endpoint proxy, and a clock the test moves forward. Keeps each host's driver, so a test can see
 * (and kill) every postmaster of an endpoint, whatever the store says of it.
 */
final class ProxiedFleet implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(90);
    /** Two hosts of this shape in cell {@code local}: one to move off, or to restart beside, and one to move to. */
    static final HostShape SHAPE = new HostShape(MilliCpu.ofCpus(2), Bytes.ofGibibytes(8));
    private static final int HOSTS = 2;
    private static final int PROXY_PORTS = 10;
    /** Well inside the hosts' heartbeat grace (30 s). */
    private static final Duration CLOCK_STEP = Duration.ofSeconds(10);

    private final LocalFleet fleet;
    private final MovableClock clock;
    private final int firstProxyPort;
    private final Map<String, ProcessDriver> drivers;
    private final String cgroupParent;

    private ProxiedFleet(LocalFleet fleet, MovableClock clock, int firstProxyPort, Map<String, ProcessDriver> drivers,
                         String cgroupParent) {
        this.fleet = fleet;
        this.clock = clock;
        this.firstProxyPort = firstProxyPort;
        this.drivers = drivers;
        this.cgroupParent = cgroupParent;
    }

    /** Skips the calling test, saying why, where the machine lacks what {@code up --driver process} needs. */
    static void assumeProcessDriver() throws Exception {
        Optional<String> unavailable = LocalMachine.detect().processDriverUnavailable();
        assumeTrue(unavailable.isEmpty(), () -> "needs what up --driver process needs: " + unavailable.orElseThrow());
    }

    /** The cell the hosts are in, its host template their {@link #SHAPE}. */
    static String cell(double watermark) {
        return """
                apiVersion: tidepool.io/v1
                kind: Cell
                metadata: {name: local}
                spec: {hostTemplate: {cpus: 2, memory: 8Gi}, watermark: %s}
                """.formatted(watermark);
    }

    /** Starts the hosts in cell {@code local}, with data under {@code dir}. */
    static ProxiedFleet start(Path dir, ControlLoop.Settings controllers) throws Exception {
        // The computes' user must get through every directory down to the data.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        String cgroupParent = "tidepool-test-" + UUID.randomUUID().toString().substring(0, 8);
        int firstPort = LoopbackPort.freeRange(PROXY_PORTS);
        ProxySettings proxy = ProxySettings.of("127.0.0.1", new PortRange(firstPort, firstPort + PROXY_PORTS - 1));
        MovableClock clock = new MovableClock();
        Map<String, ProcessDriver> drivers = new ConcurrentHashMap<>();
        Function<String, ComputeDriver> machine = LocalMachine.detect().processDrivers(dir.resolve("computes"), cgroupParent);
        LocalFleet fleet = LocalFleet.start(dir.resolve("store"), controllers,
                config -> config.withProxy(Optional.of(proxy)).withClock(clock),
                new LocalHosts.Settings("local", HOSTS, SHAPE, LocalFleet.step(), LocalHosts.Settings.LEASE), host -> {
                    ProcessDriver driver = (ProcessDriver) machine.apply(host);
                    drivers.put(host, driver);
                    return driver;
                });
        return new ProxiedFleet(fleet, clock, firstPort, drivers, cgroupParent);
    }

    LocalFleet fleet() {
        return fleet;
    }

    MovableClock clock() {
        return clock;
    }

    /** The proxy's address of the endpoint, once it serves it; what status.address must say throughout. */
    String proxyAddress(String endpoint) {
        return Await.value(WAIT, endpoint + " served by the proxy", () -> {
            String address = fleet.getJson("/api/v1/endpoints/" + endpoint).at("/status/address").asText(null);
            return address != null && proxyPorts().contains(URI.create(address).getPort()) ? address : null;
        });
    }

    /** The ports the proxy gives endpoints; a compute's own Postgres listens elsewhere. */
    Set<Integer> proxyPorts() {
        Set<Integer> ports = new HashSet<>();
        for (int port = firstProxyPort; port < firstProxyPort + PROXY_PORTS; port++) {
            ports.add(port);
        }
        return ports;
    }

    /** Every postmaster any host runs for a compute of {@code endpoint} (named endpoint-epoch), alive or not. */
    List<PostgresServer> serversOf(String endpoint) {
        List<PostgresServer> servers = new ArrayList<>();
        for (ProcessDriver driver : drivers.values()) {
            for (String compute : driver.running()) {
                if (compute.startsWith(endpoint + "-")) {
                    driver.server(compute).ifPresent(servers::add);
                }
            }
        }
        return servers;
    }

    /** The postmaster of {@code compute} on whichever host runs it, while it is known there. */
    Optional<PostgresServer> server(String compute) {
        return drivers.values().stream().flatMap(driver -> driver.server(compute).stream()).findFirst();
    }

    /** The endpoint's computes as the store has them now. */
    List<JsonNode> computesOf(String endpoint) {
        List<JsonNode> computes = new ArrayList<>();
        for (JsonNode compute : fleet.getJson("/api/v1/computes").get("items")) {
            if (endpoint.equals(compute.at("/spec/endpoint").asText())) {
                computes.add(compute);
            }
        }
        return computes;
    }

    /**
     * Moves the fleet's clock forward as if that time had passed, then has every controller look
     * again at once. It moves in steps shorter than the hosts' heartbeat grace, each once every host
     * has heartbeated at the new time: a single jump would make healthy hosts look silent.
     */
    void advance(Duration by) {
        Duration left = by;
        while (!left.isNegative() && !left.isZero()) {
            Duration step = left.compareTo(CLOCK_STEP) < 0 ? left : CLOCK_STEP;
            clock.advance(step);
            left = left.minus(step);
            Instant stepped = clock.instant();
            Await.until(WAIT, "every host heartbeating at " + stepped, () -> {
                for (int host = 1; host <= HOSTS; host++) {
                    Optional<Instant> heard = fleet.plane().controlLoop().telemetry().lastHeartbeat(LocalHosts.hostName("local", host));
                    if (heard.isEmpty() || heard.get().isBefore(stepped)) {
                        return false;
                    }
                }
                return true;
            });
        }
        fleet.plane().controlLoop().resync();
    }

    /** Stops the computes with the fleet, then removes the test's cgroups. */
    @Override
    public void close() throws Exception {
        try {
            fleet.close();
        } finally {
            CgroupLayout layout = CgroupLayout.detect();
            // Removing a cgroup right after its last child can fail for a moment: retry, bounded. A
            // postmaster a test killed may leave backends that take a while on a loaded machine:
            // what still runs in a compute's cgroup is killed, and said, so the next test starts clean.
            Await.until(Duration.ofSeconds(30), "the test's cgroups removed", () -> {
                try {
                    for (int host = 1; host <= HOSTS; host++) {
                        CgroupTree tree = new CgroupTree(layout, cgroupParent + "/" + LocalHosts.hostName("local", host));
                        List<String> left = tree.clear(Duration.ofSeconds(5));
                        if (!left.isEmpty()) {
                            System.err.println("ProxiedFleet: killed what still ran in the cgroups of " + left);
                        }
                        tree.removeParent();
                    }
                    return new CgroupTree(layout, cgroupParent).removeParent();
                } catch (IOException e) {
                    return false;
                }
            });
        }
    }
}
