package io.tidepool.server.hosts;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tidepool.api.quantity.MilliCpu;
import io.tidepool.api.resource.HostShape;
import io.tidepool.control.ControlLoop;
import io.tidepool.guest.cgroup.CgroupLayout;
import io.tidepool.guest.cgroup.CgroupTree;
import io.tidepool.guest.cgroup.ComputeCgroup;
import io.tidepool.postgres.PostgresBinaries;
import io.tidepool.process.ProcessDriver;
import io.tidepool.server.ControlPlane;
import io.tidepool.server.LocalFleet;
import io.tidepool.store.Await;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * A control plane with one local host on the process driver: real Postgres computes in real v1
 * cgroups, under a parent of their own ({@code tidepool-test-XXXX}) that {@link #close} removes.
 * The host has this machine's memory slice and 8 CPUs, since a CPU quota caps rather than reserves.
 */
final class OneHostFleet implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(120);
    private static final Duration CGROUP_REMOVAL = Duration.ofSeconds(10);

    private final LocalFleet fleet;
    private final ProcessDriver driver;
    private final CgroupTree host;

    private OneHostFleet(LocalFleet fleet, ProcessDriver driver, CgroupTree host) {
        this.fleet = fleet;
        this.driver = driver;
        this.host = host;
    }

    /** Skips the calling tests, saying why, where the machine lacks root, cgroup v1 or Postgres 15. */
    static void assumeRealComputes() throws Exception {
        assumeTrue(PostgresBinaries.find("15").isPresent(), "needs Postgres 15 (postgresql-15)");
        CgroupLayout.Version version = CgroupLayout.detect().version();
        assumeTrue(version == CgroupLayout.Version.V1, "needs cgroup v1, where tasks can wait at the limit and whose"
                + " files these tests read; this machine has " + version);
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root to make cgroups and run computes as their own user");
    }

    /**
     * Starts the fleet with its data (store and computes) under {@code dir}, which is made
     * readable to the computes' user.
     */
    static OneHostFleet start(Path dir, ControlLoop.Settings controllers, UnaryOperator<ProcessDriver.Settings> variant)
            throws Exception {
        return start(dir, controllers, UnaryOperator.identity(), variant);
    }

    /** As {@link #start(Path, ControlLoop.Settings, UnaryOperator)}, with a variant of the control plane's config. */
    static OneHostFleet start(Path dir, ControlLoop.Settings controllers, UnaryOperator<ControlPlane.Config> plane,
                              UnaryOperator<ProcessDriver.Settings> variant) throws Exception {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        CgroupLayout layout = CgroupLayout.detect();
        String parent = "tidepool-test-" + UUID.randomUUID().toString().substring(0, 8);
        CgroupTree tree = new CgroupTree(layout, parent + "/" + LocalHosts.hostName("local", 1));
        HostShape shape = new HostShape(MilliCpu.ofCpus(8), LocalMachine.slice(1).memory());
        AtomicReference<ProcessDriver> driver = new AtomicReference<>();
        try {
            LocalFleet fleet = LocalFleet.start(dir.resolve("store"), controllers, plane,
                    new LocalHosts.Settings("local", 1, shape, LocalFleet.step(), LocalHosts.Settings.LEASE), name -> {
                        try {
                            driver.set(new ProcessDriver(variant.apply(new ProcessDriver.Settings(dir.resolve("computes"),
                                    LocalMachine.COMPUTE_USER, Optional.of(tree), WAIT))));
                            return driver.get();
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    });
            return new OneHostFleet(fleet, driver.get(), tree);
        } catch (Exception | Error e) {
            removeCgroups(tree);
            throw e;
        }
    }

    LocalFleet fleet() {
        return fleet;
    }

    ProcessDriver driver() {
        return driver;
    }

    /** The endpoint once its status says Running at an address. */
    JsonNode awaitRunning(String endpoint) {
        return Await.value(WAIT, endpoint + " Running", () -> {
            JsonNode found = fleet.getJson("/api/v1/endpoints/" + endpoint);
            boolean running = "Running".equals(found.at("/status/phase").asText()) && found.at("/status/address").isTextual();
            return running ? found : null;
        });
    }

    /** The cgroup of the endpoint's compute, as its status names it. */
    ComputeCgroup cgroupOf(JsonNode endpoint) {
        return driver.cgroup(endpoint.at("/status/compute").asText()).orElseThrow();
    }

    /** Stops the computes with the fleet, then removes the test's cgroups. */
    @Override
    public void close() {
        try {
            fleet.close();
        } finally {
            removeCgroups(host);
        }
    }

    private static void removeCgroups(CgroupTree host) {
        // Removing a cgroup right after its last child can fail for a moment: retry, bounded.
        Await.until(CGROUP_REMOVAL, "the test's cgroups removed", () -> {
            try {
                return host.removeParent();
            } catch (IOException e) {
                return false;
            }
        });
    }
}
