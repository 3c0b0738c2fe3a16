package io.tidepool.guest.cgroup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Where this machine mounts cgroups and which version Tidepool drives there: v2 when the unified
 * hierarchy offers the cpu and memory controllers to this process, else v1 when both are mounted as
 * v1 hierarchies, else none (computes then run without limits, and say so).
 *
 * @param version   the version computes' cgroups are made in
 * @param v1Mounts  where each v1 controller is mounted ({@code memory} to {@code /sys/fs/cgroup/memory})
 * @param unified   where the v2 hierarchy is mounted, if it is; on a v1 machine it still gives
 *                  pressure stall information, the v2 freezer and CPU usage per cgroup
 * @param ownPaths  this process's cgroup in each hierarchy, by controller ({@code ""} for the unified one)
 */
public record CgroupLayout(Version version, Map<String, Path> v1Mounts, Optional<Path> unified,
                           Map<String, String> ownPaths) {

    public enum Version { V1, V2, NONE }

    /** The v1 controllers the drivers use: a compute's size, its CPU usage and its freezing. */
    static final Set<String> V1_CONTROLLERS = Set.of("cpu", "cpuacct", "memory", "freezer");
    static final String UNIFIED = "";

    public CgroupLayout {
        v1Mounts = Map.copyOf(v1Mounts);
        ownPaths = Map.copyOf(ownPaths);
    }

    /** The layout this process sees, from {@code /proc/self/mountinfo} and {@code /proc/self/cgroup}. */
    public static CgroupLayout detect() throws IOException {
        Path mountinfo = Path.of("/proc/self/mountinfo");
        Path self = Path.of("/proc/self/cgroup");
        if (!Files.isReadable(mountinfo) || !Files.isReadable(self)) {
            return new CgroupLayout(Version.NONE, Map.of(), Optional.empty(), Map.of());
        }
        return parse(Files.readString(mountinfo), Files.readString(self), CgroupLayout::readQuietly);
    }

    /**
     * The layout described by a mountinfo and a /proc/PID/cgroup text.
     *
     * @param read reads a file (the unified hierarchy's {@code cgroup.controllers}); null when it cannot
     */
    static CgroupLayout parse(String mountinfo, String selfCgroup, Function<Path, String> read) {
        Map<String, Path> v1 = new HashMap<>();
        Path unified = null;
        for (String line : mountinfo.split("\n")) {
            int dash = line.indexOf(" - ");
            if (dash < 0) {
                continue;
            }
            String[] before = line.substring(0, dash).split(" ");
            String[] after = line.substring(dash + 3).split(" ");
            if (before.length < 5 || after.length < 3) {
                continue;
            }
            Path mountPoint = Path.of(unescape(before[4]));
            if (after[0].equals("cgroup2")) {
                unified = mountPoint;
            } else if (after[0].equals("cgroup")) {
                for (String option : after[2].split(",")) {
                    if (V1_CONTROLLERS.contains(option)) {
                        v1.putIfAbsent(option, mountPoint);
                    }
                }
            }
        }
        Map<String, String> own = ownPaths(selfCgroup);
        Version version = Version.NONE;
        if (unified != null && own.containsKey(UNIFIED)) {
            String controllers = read.apply(unified.resolve(relative(own.get(UNIFIED))).resolve("cgroup.controllers"));
            Set<String> offered = controllers == null ? Set.of() : new HashSet<>(Arrays.asList(controllers.trim().split("\\s+")));
            if (offered.contains("cpu") && offered.contains("memory")) {
                version = Version.V2;
            }
        }
        if (version == Version.NONE && v1.containsKey("cpu") && v1.containsKey("memory")) {
            version = Version.V1;
        }
        return new CgroupLayout(version, v1, Optional.ofNullable(unified), own);
    }

    /** The directory of this process's own cgroup in a v1 controller's hierarchy. */
    Path ownV1(String controller) {
        Path mount = v1Mounts.get(controller);
        if (mount == null) {
            throw new IllegalStateException("the " + controller + " controller is not mounted");
        }
        return mount.resolve(relative(ownPaths.getOrDefault(controller, "/")));
    }

    /** The directory of this process's own cgroup in the unified hierarchy, if there is one. */
    Optional<Path> ownUnified() {
        return unified.map(mount -> mount.resolve(relative(ownPaths.getOrDefault(UNIFIED, "/"))));
    }

    /** Lines like {@code 4:memory:/a/b}, {@code 2:cpu,cpuacct:/} and {@code 0::/}. */
    private static Map<String, String> ownPaths(String selfCgroup) {
        Map<String, String> paths = new HashMap<>();
        for (String line : selfCgroup.split("\n")) {
            String[] fields = line.split(":", 3);
            if (fields.length < 3) {
                continue;
            }
            if (fields[1].isEmpty()) {
                paths.put(UNIFIED, fields[2]);
            }
            for (String controller : fields[1].split(",")) {
                if (!controller.isEmpty()) {
                    paths.put(controller, fields[2]);
                }
            }
        }
        return paths;
    }

    private static String relative(String path) {
        return path.startsWith("/") ? path.substring(1) : path;
    }

    /** mountinfo escapes space, tab, newline and backslash as octal. */
    private static String unescape(String field) {
        return field.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\");
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return null;
        }
    }
}
