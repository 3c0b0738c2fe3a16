package io.tidepool.server.hosts;

import io.tidepool.agent.ComputeDriver;
import io.tidepool.api.quantity.Bytes;
import io.tidepool.api.quantity.MilliCpu;
import io.tidepool.api.resource.HostShape;
import io.tidepool.guest.cgroup.CgroupLayout;
import io.tidepool.guest.cgroup.CgroupTree;
import io.tidepool.postgres.PostgresBinaries;
import io.tidepool.process.ProcessDriver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

/**
 * This machine as the hosts of {@code up --driver process}: each local host agent owns an equal
 * slice of its CPUs and of three quarters of its memory (the rest is for the system and the control
 * plane), and runs real Postgres computes in cgroups under {@code tidepool/HOST}. Their data is
 * kept per endpoint under one directory that every local host shares, so a compute that moves
 * between local hosts (stop, then start) keeps its database.
 */
public final class LocalMachine {
    /** The Postgres major version computes run when the endpoint does not say. */
    public static final String DEFAULT_POSTGRES = "15";
    public static final String COMPUTE_USER = "tidepool";
    /** Where computes' cgroups go unless told otherwise: {@code tidepool/HOST/COMPUTE}. */
    public static final String CGROUP_PARENT = "tidepool";
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(2);
    /**
     * Local hosts slice a small machine thinly, and a CPU quota caps rather than reserves: their
     * cell lets computes' CPU add up to four times a slice, so that an endpoint may grow past one
     * slice's CPUs. Memory is never overcommitted.
     */
    public static final double CPU_OVERCOMMIT = 4.0;
    private static final long MIB = 1L << 20;

    private final CgroupLayout cgroups;

    private LocalMachine(CgroupLayout cgroups) {
        this.cgroups = cgroups;
    }

    public static LocalMachine detect() throws IOException {
        return new LocalMachine(CgroupLayout.detect());
    }

    /** Why the process driver cannot run here, or empty when it can. */
    public Optional<String> processDriverUnavailable() throws IOException, InterruptedException {
        return processDriverUnavailable(PostgresBinaries.find(DEFAULT_POSTGRES).isPresent(), cgroups.version(),
                System.getProperty("user.name"));
    }

    /** Why the process driver cannot run on a machine with these, or empty when it can. */
    public static Optional<String> processDriverUnavailable(boolean postgresFound, CgroupLayout.Version cgroups, String user) {
        if (!postgresFound) {
            return Optional.of("no Postgres " + DEFAULT_POSTGRES + " found; apt-get install postgresql-" + DEFAULT_POSTGRES);
        }
        if (cgroups == CgroupLayout.Version.NONE) {
            return Optional.of("no cgroups with the cpu and memory controllers");
        }
        if (!"root".equals(user)) {
            return Optional.of("not root; making cgroups and running computes as their own user needs it");
        }
        return Optional.empty();
    }

    public CgroupLayout.Version cgroupVersion() {
        return cgroups.version();
    }

    /** One host's share of this machine when {@code hosts} hosts share it. */
    public static HostShape slice(int hosts) throws IOException {
        int share = Math.max(1, hosts);
        long cpuMillis = Runtime.getRuntime().availableProcessors() * 1_000L / share;
        long memory = memTotalBytes() * 3 / 4 / share / MIB * MIB;
        return new HostShape(new MilliCpu(cpuMillis), new Bytes(memory));
    }

    /**
     * The process driver of each local host, by host name.
     *
     * @param computesDir where endpoints' data, sockets and logs go; every directory above it must
     *                    be reachable by the computes' user (so not under /root)
     */
    public Function<String, ComputeDriver> processDrivers(Path computesDir) {
        return processDrivers(computesDir, CGROUP_PARENT);
    }

    /**
     * As {@link #processDrivers(Path)}, with each host's computes' cgroups under
     * {@code cgroupParent/HOST}. Every host gets the same {@code computesDir}: that is what lets
     * an endpoint move between them by stopping on one and starting on the other.
     */
    public Function<String, ComputeDriver> processDrivers(Path computesDir, String cgroupParent) {
        // A parent that cannot name a cgroup is refused now, not when the first host starts.
        new CgroupTree(cgroups, cgroupParent);
        return host -> {
            try {
                return new ProcessDriver(new ProcessDriver.Settings(computesDir, COMPUTE_USER,
                        Optional.of(new CgroupTree(cgroups, cgroupParent + "/" + host)), READY_TIMEOUT));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the process driver of " + host + ": " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting the process driver of " + host, e);
            }
        };
    }

    private static long memTotalBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
            if (line.startsWith("MemTotal:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IOException("/proc/meminfo has no MemTotal");
    }
}
