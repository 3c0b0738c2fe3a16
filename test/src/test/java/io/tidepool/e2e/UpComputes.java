package io.tidepool.e2e;

import io.tidepool.guest.cgroup.CgroupLayout;
import io.tidepool.guest.cgroup.CgroupTree;
import io.tidepool.guest.cgroup.ComputeCgroup;
import io.tidepool.server.hosts.LocalHosts;
import io.tidepool.store.Await;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Where one test's {@code up} runs real computes, so that it touches nothing of a real
 * installation and leaves nothing behind: a computes dir of its own under /var/tmp (the computes'
 * user must reach it, and JUnit's temporary directories are owner-only) and a cgroup parent of its
 * own. {@link #close} kills whatever still runs in those cgroups and removes them and the dir.
 * Computes' cgroups lie under this JVM's own cgroup on v1, as {@code up} is its child.
 */
final class UpComputes implements AutoCloseable {
    private static final Duration EMPTY_WAIT = Duration.ofSeconds(10);

    private final Path dir;
    private final String cgroupParent = "tidepool-e2e-" + UUID.randomUUID().toString().substring(0, 8);
    private final CgroupLayout cgroups;
    private final int hosts;

    private UpComputes(Path dir, CgroupLayout cgroups, int hosts) {
        this.dir = dir;
        this.cgroups = cgroups;
        this.hosts = hosts;
    }

    /** @param hosts how many local hosts {@code up} runs, named as it names them in cell {@code local} */
    static UpComputes create(int hosts) throws IOException {
        Path dir = Files.createTempDirectory(Path.of("/var/tmp"), "tidepool-e2e-");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        return new UpComputes(dir, CgroupLayout.detect(), hosts);
    }

    /** The options that make {@code up} run its computes here. */
    List<String> upOptions() {
        return List.of("--computes-dir", dir.toString(), "--cgroup-parent", cgroupParent);
    }

    /** Every process in the computes' cgroups now: Postgres servers and their backends. */
    Set<Long> processes() throws IOException {
        Set<Long> pids = new HashSet<>();
        for (CgroupTree host : hostTrees()) {
            for (ComputeCgroup compute : host.existing()) {
                pids.addAll(compute.processes());
            }
        }
        return pids;
    }

    @Override
    public void close() throws IOException {
        try {
            if (cgroups.version() != CgroupLayout.Version.NONE) {
                for (CgroupTree host : hostTrees()) {
                    host.clear(EMPTY_WAIT);
                }
                // Removing a cgroup right after its last child can fail for a moment: retry, bounded.
                Await.until(EMPTY_WAIT, "cgroup parent " + cgroupParent + " removed", this::removeParents);
            }
        } finally {
            deleteDir();
        }
    }

    private boolean removeParents() {
        try {
            for (CgroupTree host : hostTrees()) {
                host.removeParent();
            }
            return new CgroupTree(cgroups, cgroupParent).removeParent();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<CgroupTree> hostTrees() {
        List<CgroupTree> trees = new ArrayList<>();
        if (cgroups.version() == CgroupLayout.Version.NONE) {
            return trees;
        }
        for (int host = 1; host <= hosts; host++) {
            trees.add(new CgroupTree(cgroups, cgroupParent + "/" + LocalHosts.hostName("local", host)));
        }
        return trees;
    }

    private void deleteDir() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }
}
