package io.tidepool.guest.cgroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tidepool.api.quantity.Bytes;
import io.tidepool.api.quantity.MilliCpu;
import io.tidepool.store.Await;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real cgroups v1, as root: skipped, saying why, on a machine without them. */
class CgroupV1Test {
    private static final long MIB = 1L << 20;
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static CgroupLayout layout;

    @TempDir
    Path scratch;
    private CgroupTree tree;
    private ComputeCgroup cgroup;
    private final List<Process> processes = new ArrayList<>();

    @BeforeAll
    static void needsCgroupV1AsRoot() throws IOException {
        layout = CgroupLayout.detect();
        assumeTrue(layout.version() == CgroupLayout.Version.V1,
                "needs cgroup v1 with the cpu and memory controllers; this machine has " + layout.version());
        assumeTrue(Files.isWritable(layout.ownV1("memory")) && Files.isWritable(layout.ownV1("cpu")),
                "needs to write cgroups (run as root): " + layout.ownV1("memory") + " is not writable");
    }

    @BeforeEach
    void makeCgroup() throws IOException {
        tree = new CgroupTree(layout, "tidepool-test-" + UUID.randomUUID().toString().substring(0, 8));
        tree.prepare();
        cgroup = tree.compute("c1");
        cgroup.create();
    }

    @AfterEach
    void removeCgroup() throws Exception {
        cgroup.killAll();
        Await.until(WAIT, "every process of the cgroup gone", () -> unchecked(() -> cgroup.processes().isEmpty()));
        for (Process process : processes) {
            process.waitFor(10, TimeUnit.SECONDS);
        }
        assertThat(cgroup.remove()).as("the cgroup is removed once its processes are gone").isTrue();
        assertThat(tree.removeParent()).isTrue();
    }

    @Test
    void theCpuQuotaIsTheSizeAndChangesInPlace() throws IOException {
        cgroup.limitCpu(new MilliCpu(250));
        assertThat(Files.readString(cpuDir().resolve("cpu.cfs_quota_us")).trim()).isEqualTo("25000");
        assertThat(cgroup.cpuLimit()).isEqualTo(new MilliCpu(250));

        cgroup.limitCpu(new MilliCpu(2_000));
        assertThat(Files.readString(cpuDir().resolve("cpu.cfs_quota_us")).trim()).isEqualTo("200000");
        assertThat(cgroup.cpuLimit()).isEqualTo(new MilliCpu(2_000));
    }

    @Test
    void theWeightFollowsTheSizeAndTheComputesTogetherOutweighTheHost() throws IOException {
        cgroup.limitCpu(new MilliCpu(250));
        assertThat(Files.readString(cpuDir().resolve("cpu.shares")).trim()).isEqualTo("256");
        cgroup.limitCpu(new MilliCpu(2_000));
        assertThat(Files.readString(cpuDir().resolve("cpu.shares")).trim()).isEqualTo("2048");

        assertThat(Files.readString(cpuDir().getParent().resolve("cpu.shares")).trim())
                .as("the tree's level, against the host's own tasks beside it").isEqualTo("262144");
    }

    @Test
    void aCommandStartedThroughTheCgroupRunsInsideItWithItsChildren() throws Exception {
        Process shell = start("/bin/sh", "-c", "sleep 600 & wait");
        Await.until(WAIT, "the shell and its child in the cgroup", () -> unchecked(() -> cgroup.processes().size() == 2));

        assertThat(cgroup.processes()).contains(shell.pid());
        assertThat(cgroup.cpuUsageNanos()).isPositive();
    }

    @Test
    void pageCacheIsChargedHereAndGivenBackWhenTheLimitShrinks() throws Exception {
        Path file = scratch.resolve("cache");
        Process writer = start("dd", "if=/dev/zero", "of=" + file, "bs=1M", "count=64", "conv=fsync");
        assertThat(writer.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(writer.exitValue()).isZero();
        assertThat(cgroup.memoryUsage().value()).as("the written pages are charged here").isGreaterThan(48 * MIB);

        ComputeCgroup.MemoryLimit shrunk = cgroup.limitMemory(new Bytes(16 * MIB));

        assertThat(shrunk.stoppedAtFloor()).isFalse();
        assertThat(shrunk.applied()).isEqualTo(new Bytes(16 * MIB));
        assertThat(shrunk.usage().value()).isLessThanOrEqualTo(16 * MIB);
        assertThat(Files.readString(memoryDir().resolve("memory.limit_in_bytes")).trim()).isEqualTo(Long.toString(16 * MIB));
    }

    @Test
    void aShrinkBelowWhatCannotBeReclaimedStopsJustAboveIt() throws Exception {
        cgroup.limitMemory(new Bytes(512 * MIB));
        // 96 MiB of anonymous memory, touched, held until killed.
        start("perl", "-e", "my $x = 'a' x (96 * 1024 * 1024); print \"ready\\n\"; $| = 1; sleep 600;");
        // Done allocating, not only past 96 MiB: perl's copies while it builds the string would
        // still be charging, and a usage that grows under the shrink leaves no floor to stop at.
        Await.until(WAIT, "the anonymous memory charged and held", () -> unchecked(() ->
                Files.readString(scratch.resolve("out-0")).contains("ready") && cgroup.memoryUsage().value() > 96 * MIB));

        ComputeCgroup.MemoryLimit shrunk = cgroup.limitMemory(new Bytes(32 * MIB));

        assertThat(shrunk.stoppedAtFloor()).isTrue();
        assertThat(shrunk.applied().value()).isGreaterThan(96 * MIB).isLessThan(512 * MIB);
        assertThat(cgroup.processes()).as("nothing was killed").hasSize(1);
    }

    @Test
    void aFrozenCgroupStopsItsProcessesUntilThawed() throws Exception {
        Process shell = start("/bin/sh", "-c", "sleep 600");
        Await.until(WAIT, "the process in the cgroup", () -> unchecked(() -> cgroup.processes().contains(shell.pid())));

        cgroup.freeze();
        assertThat(cgroup.frozen()).isTrue();
        assertThat(Files.readString(layout.ownV1("freezer").resolve(tree.parent()).resolve("c1/freezer.state")).trim())
                .isEqualTo("FROZEN");

        cgroup.thaw();
        assertThat(cgroup.frozen()).isFalse();
    }

    @Test
    void aCgroupWithProcessesIsNotRemoved() throws Exception {
        Process shell = start("/bin/sh", "-c", "sleep 600");
        Await.until(WAIT, "the process in the cgroup", () -> unchecked(() -> cgroup.processes().contains(shell.pid())));

        assertThat(cgroup.remove()).isFalse();
        assertThat(memoryDir()).isDirectory();
    }

    private Process start(String... command) throws IOException {
        Process process = new ProcessBuilder(cgroup.joiningCommand(List.of(command)))
                .redirectErrorStream(true).redirectOutput(scratch.resolve("out-" + processes.size()).toFile()).start();
        processes.add(process);
        return process;
    }

    private Path memoryDir() {
        return layout.ownV1("memory").resolve(tree.parent()).resolve("c1");
    }

    private Path cpuDir() {
        return layout.ownV1("cpu").resolve(tree.parent()).resolve("c1");
    }

    private interface Reading {
        boolean get() throws IOException;
    }

    private static boolean unchecked(Reading reading) {
        try {
            return reading.get();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
