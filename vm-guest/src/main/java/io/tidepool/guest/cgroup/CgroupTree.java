package io.tidepool.guest.cgroup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where one host agent makes its computes' cgroups: a parent directory in each hierarchy. On v1
 * it lies under the agent's own cgroup, so a sandbox the agent runs in bounds its computes too; on
 * v2 under the hierarchy's root, since a v2 cgroup that holds processes (the agent's) cannot hand
 * controllers to its children.
 */
public final class CgroupTree {
    private static final Logger log = LoggerFactory.getLogger(CgroupTree.class);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final long REAP_POLL_NANOS = Duration.ofMillis(10).toNanos();

    private final CgroupLayout layout;
    private final String parent;

    /** @param parent a relative path such as {@code tidepool/host-1} */
    public CgroupTree(CgroupLayout layout, String parent) {
        if (layout.version() == CgroupLayout.Version.NONE) {
            throw new IllegalArgumentException("this machine has no usable cgroups (cpu and memory controllers)");
        }
        for (String part : parent.split("/")) {
            if (!NAME.matcher(part).matches()) {
                throw new IllegalArgumentException("cgroup parent \"" + parent + "\": \"" + part
                        + "\" is not a plain directory name");
            }
        }
        this.layout = layout;
        this.parent = parent;
    }

    /** The parent's path, relative to each hierarchy's base. */
    public String parent() {
        return parent;
    }

    public CgroupLayout.Version version() {
        return layout.version();
    }

    /**
     * Makes the parent directories, and on v2 enables the cpu and memory controllers on the way
     * down to them so that computes' cgroups get the files that size them.
     *
     * <p>Each level of the parent weighs as much as the kernel allows. A compute's size is what
     * its tenant gets, not only the most it may take: with the default weight, the computes as a
     * whole weigh as much as one busy task of the host, so the host's own work (the agent, the
     * proxy, a replacement's copy, the JIT of a control plane on the same machine) took their CPU
     * whenever it ran (at a switch, the old primary fell to half a CPU of its one). Their quotas
     * bound the computes, so what they leave of the machine still goes to the host's work.
     */
    public void prepare() throws IOException {
        if (layout.version() == CgroupLayout.Version.V2) {
            Path dir = layout.unified().orElseThrow();
            for (String part : parent.split("/")) {
                CgroupFiles.write(dir.resolve("cgroup.subtree_control"), "+cpu +memory");
                dir = dir.resolve(part);
                CgroupFiles.mkdirs(dir);
                CgroupFiles.write(dir.resolve("cpu.weight"), Long.toString(ComputeCgroup.V2_MAX_WEIGHT));
            }
            CgroupFiles.write(dir.resolve("cgroup.subtree_control"), "+cpu +memory");
            return;
        }
        for (Path base : bases()) {
            CgroupFiles.mkdirs(base.resolve(parent));
        }
        Path dir = layout.ownV1("cpu");
        for (String part : parent.split("/")) {
            dir = dir.resolve(part);
            CgroupFiles.write(dir.resolve("cpu.shares"), Long.toString(ComputeCgroup.V1_MAX_SHARES));
        }
    }

    /**
     * Removes the parent directories, deepest first, as far as they are empty; true when all are
     * gone. Computes' cgroups must be removed first.
     */
    public boolean removeParent() throws IOException {
        boolean removed = true;
        for (Path base : bases()) {
            String[] parts = parent.split("/");
            for (int depth = parts.length; depth > 0; depth--) {
                Path dir = base.resolve(String.join("/", Arrays.copyOf(parts, depth)));
                if (!CgroupFiles.rmdir(dir)) {
                    removed = false;
                    break;
                }
            }
        }
        return removed;
    }

    /**
     * {@link #removeParent()}, tried again for up to {@code within} while this tree's own level
     * stays: removing a cgroup right after its last child can fail for a moment. The levels above
     * are removed only as far as empty, as other trees may share them.
     */
    public boolean removeParent(Duration within) throws IOException {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            boolean removed = removeParent();
            boolean ownLevelStays = bases().stream().anyMatch(base -> Files.isDirectory(base.resolve(parent)));
            if (removed || !ownLevelStays || System.nanoTime() - deadline > 0) {
                return removed;
            }
            LockSupport.parkNanos(ComputeCgroup.EMPTY_POLL_NANOS);
        }
    }

    /** The directory in each hierarchy that {@link #parent} is relative to. */
    private List<Path> bases() {
        if (layout.version() == CgroupLayout.Version.V2) {
            return List.of(layout.unified().orElseThrow());
        }
        Set<Path> bases = new LinkedHashSet<>();
        for (String controller : CgroupLayout.V1_CONTROLLERS) {
            if (layout.v1Mounts().containsKey(controller)) {
                bases.add(layout.ownV1(controller));
            }
        }
        layout.ownUnified().filter(Files::isDirectory).ifPresent(bases::add);
        return new ArrayList<>(bases);
    }

    /** The computes' cgroups that exist under the parent now, such as those an earlier agent left. */
    public List<ComputeCgroup> existing() throws IOException {
        Path dir = bases().get(0).resolve(parent);
        List<ComputeCgroup> found = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return found;
        }
        try (var children = Files.list(dir)) {
            for (Path child : children.filter(Files::isDirectory).toList()) {
                String name = child.getFileName().toString();
                if (NAME.matcher(name).matches()) {
                    found.add(compute(name));
                }
            }
        }
        return found;
    }

    /**
     * Kills whatever runs in the computes' cgroups under the parent and removes them, waiting at
     * most {@code within} for each to empty and for what was killed to be reaped: what an earlier
     * agent of this host left when it died.
     *
     * @return the computes that still had processes
     */
    public List<String> clear(Duration within) throws IOException {
        List<ComputeCgroup> left = existing();
        List<String> running = new ArrayList<>();
        Set<Long> killed = new HashSet<>();
        // Every kill first, then every wait: the computes die together, not one after another.
        for (ComputeCgroup compute : left) {
            Set<Long> pids = compute.processes();
            if (!pids.isEmpty()) {
                running.add(compute.name());
                killed.addAll(pids);
                compute.killAll();
            }
        }
        for (ComputeCgroup compute : left) {
            if (!compute.removeOnceEmpty(within)) {
                log.warn("the cgroup of {} still holds {} after {} s; left in place", compute.name(), compute.processes(),
                        within.toSeconds());
            }
        }
        awaitReaped(killed, within);
        return running;
    }

    /**
     * A killed process leaves its cgroup at once but lingers as a zombie until its parent reaps
     * it, and the parent of a dead agent's computes is init, which may take a second or more. A
     * postmaster's pid that still exists keeps the next postmaster off the data directory ("lock
     * file postmaster.pid already exists"), so the compute cannot run again until it is gone.
     */
    private static void awaitReaped(Set<Long> pids, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        for (long pid : pids) {
            Path proc = Path.of("/proc", Long.toString(pid));
            while (Files.exists(proc) && System.nanoTime() - deadline < 0) {
                LockSupport.parkNanos(REAP_POLL_NANOS);
            }
            if (Files.exists(proc)) {
                log.warn("killed process {} was not reaped after {} s", pid, within.toSeconds());
                return;
            }
        }
    }

    /** The cgroup of the compute {@code name} (not made yet: see {@link ComputeCgroup#create()}). */
    public ComputeCgroup compute(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("\"" + name + "\" cannot name a cgroup");
        }
        if (layout.version() == CgroupLayout.Version.V2) {
            return new CgroupV2(name, layout.unified().orElseThrow().resolve(parent).resolve(name));
        }
        Optional<Path> freezer = layout.v1Mounts().containsKey("freezer")
                ? Optional.of(layout.ownV1("freezer").resolve(parent).resolve(name)) : Optional.empty();
        Path cpuacct = layout.v1Mounts().containsKey("cpuacct") ? layout.ownV1("cpuacct") : layout.ownV1("cpu");
        return new CgroupV1(name, layout.ownV1("memory").resolve(parent).resolve(name),
                layout.ownV1("cpu").resolve(parent).resolve(name), cpuacct.resolve(parent).resolve(name), freezer,
                layout.ownUnified().filter(Files::isDirectory).map(dir -> dir.resolve(parent).resolve(name)));
    }
}
