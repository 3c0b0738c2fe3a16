package io.tidepool.guest.cgroup;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CgroupLayoutTest {
    /** As this machine has it: v1 controllers each on their own mount, and an empty unified hierarchy. */
    private static final String HYBRID_MOUNTS = """
            31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
            32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
            33 31 0:30 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct
            35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
            37 31 0:34 / /sys/fs/cgroup/freezer rw,relatime - cgroup cgroup rw,freezer
            40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd
            41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
            """;
    private static final String HYBRID_SELF = """
            9:name=systemd:/
            6:freezer:/
            4:memory:/process_api/13813e
            2:cpuacct:/
            1:cpu:/
            0::/
            """;

    @Test
    void aHybridMachineIsDrivenAsV1UnderTheAgentsOwnMemoryCgroup() {
        CgroupLayout layout = CgroupLayout.parse(HYBRID_MOUNTS, HYBRID_SELF, file -> "");

        assertThat(layout.version()).isEqualTo(CgroupLayout.Version.V1);
        assertThat(layout.ownV1("memory")).isEqualTo(Path.of("/sys/fs/cgroup/memory/process_api/13813e"));
        assertThat(layout.ownV1("cpu")).isEqualTo(Path.of("/sys/fs/cgroup/cpu"));
        assertThat(layout.ownUnified()).contains(Path.of("/sys/fs/cgroup/unified"));
        assertThat(layout.v1Mounts()).containsKeys("cpu", "cpuacct", "memory", "freezer").doesNotContainKey("name=systemd");
    }

    @Test
    void comountedControllersShareOneDirectory() {
        String mounts = "30 25 0:26 / /sys/fs/cgroup/cpu,cpuacct rw - cgroup cgroup rw,cpu,cpuacct\n"
                + "31 25 0:27 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n";
        CgroupLayout layout = CgroupLayout.parse(mounts, "3:cpu,cpuacct:/a\n2:memory:/a\n", file -> null);

        assertThat(layout.version()).isEqualTo(CgroupLayout.Version.V1);
        assertThat(layout.ownV1("cpuacct")).isEqualTo(layout.ownV1("cpu")).isEqualTo(Path.of("/sys/fs/cgroup/cpu,cpuacct/a"));
    }

    @Test
    void aUnifiedHierarchyWithCpuAndMemoryIsDrivenAsV2() {
        String mounts = "28 22 0:25 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate\n";
        Map<Path, String> files = Map.of(Path.of("/sys/fs/cgroup/system.slice/agent.service/cgroup.controllers"),
                "cpuset cpu io memory pids\n");
        CgroupLayout layout = CgroupLayout.parse(mounts, "0::/system.slice/agent.service\n", files::get);

        assertThat(layout.version()).isEqualTo(CgroupLayout.Version.V2);
        assertThat(layout.ownUnified()).contains(Path.of("/sys/fs/cgroup/system.slice/agent.service"));
    }

    @Test
    void aUnifiedHierarchyWithoutTheMemoryControllerIsNotEnough() {
        String mounts = "28 22 0:25 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n";
        CgroupLayout layout = CgroupLayout.parse(mounts, "0::/\n", file -> "cpu pids");

        assertThat(layout.version()).isEqualTo(CgroupLayout.Version.NONE);
    }

    @Test
    void aMountPointWithASpaceIsUnescaped() {
        String mounts = "30 25 0:26 / /sys/fs/cgroup/my\\040cpu rw - cgroup cgroup rw,cpu\n"
                + "31 25 0:27 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n";
        CgroupLayout layout = CgroupLayout.parse(mounts, "3:cpu:/\n2:memory:/\n", file -> null);

        assertThat(layout.ownV1("cpu")).isEqualTo(Path.of("/sys/fs/cgroup/my cpu"));
    }
}
