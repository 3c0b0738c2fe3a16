package io.tidepool.server.hosts;

import io.tidepool.api.quantity.Cu;
import io.tidepool.guest.cgroup.ComputeCgroup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A compute's size as the kernel holds it: the v1 files of its cgroup, read from the cgroup's own
 * directories rather than through the driver, so that a driver that reports a size it never wrote
 * is caught.
 */
record CgroupSize(long quotaMicros, long periodMicros, long memoryLimitBytes) {

    static CgroupSize of(ComputeCgroup cgroup) throws IOException {
        Path cpu = cgroup.procsFiles().stream().map(Path::getParent)
                .filter(dir -> Files.exists(dir.resolve("cpu.cfs_quota_us"))).findFirst()
                .orElseThrow(() -> new IOException(cgroup.name() + " has no directory in the cpu hierarchy"));
        return new CgroupSize(read(cpu.resolve("cpu.cfs_quota_us")), read(cpu.resolve("cpu.cfs_period_us")),
                read(cgroup.memoryLimitFile()));
    }

    /** Whether these are the files of {@code cu}: 1 CU is 1 vCPU (a quota of one period) and 4 GiB. */
    boolean isOf(Cu cu) {
        return quotaMicros * 1_000 == cu.cpu().millis() * periodMicros && memoryLimitBytes == cu.memory().value();
    }

    /** Whether neither CPU nor memory is below {@code cu}'s. */
    boolean atLeast(Cu cu) {
        return quotaMicros * 1_000 >= cu.cpu().millis() * periodMicros && memoryLimitBytes >= cu.memory().value();
    }

    @Override
    public String toString() {
        return "cpu.cfs_quota_us " + quotaMicros + " of " + periodMicros + ", memory.limit_in_bytes " + memoryLimitBytes;
    }

    private static long read(Path file) throws IOException {
        return Long.parseLong(Files.readString(file).trim());
    }
}
