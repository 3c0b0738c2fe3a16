package io.tidepool.guest.cgroup;

import io.tidepool.api.quantity.Bytes;
import io.tidepool.api.quantity.MilliCpu;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;

/**
 * The cgroup of one compute, in every hierarchy it needs: what its processes may use (CPU quota,
 * memory limit), what they use, and freezing them. A process joins it by writing its own pid to
 * each of {@link #procsFiles()} before it execs the compute, so everything it and its children
 * charge is counted here (a process moved in later keeps its earlier charges where they were).
 */
public interface ComputeCgroup {
    /** The CFS period every quota is a share of. */
    long CPU_PERIOD_MICROS = 100_000;
    /** How often {@link #removeOnceEmpty} looks whether the processes are gone. */
    long EMPTY_POLL_NANOS = 10_000_000;
    /** The smallest quota the kernel takes. */
    long CPU_QUOTA_MIN_MICROS = 1_000;
    /** v1's cpu.shares for one CPU: the kernel's default, that of one task at nice 0. */
    long CPU_SHARES_PER_CPU = 1_024;
    /** v2's cpu.weight for one CPU: the kernel's default. */
    long CPU_WEIGHT_PER_CPU = 100;
    /** The most v1's cpu.shares takes. */
    long V1_MAX_SHARES = 262_144;
    /** The most v2's cpu.weight takes. */
    long V2_MAX_WEIGHT = 10_000;

    String name();

    CgroupLayout.Version version();

    /** Makes the directories; a no-op for those that exist. */
    void create() throws IOException;

    /** The {@code cgroup.procs} files a process writes its pid to, to join this cgroup everywhere. */
    List<Path> procsFiles();

    /**
     * Sets the CPU quota, always finite (switching to and from "unlimited" costs milliseconds), and
     * a weight in proportion: the quota bounds what the compute takes, the weight is its claim
     * among the host's computes when they contend for the CPUs.
     */
    void limitCpu(MilliCpu cpu) throws IOException;

    MilliCpu cpuLimit() throws IOException;

    /**
     * Sets the memory limit. Raising it takes microseconds. Lowering it first reclaims page cache;
     * when what cannot be reclaimed (anonymous memory, shared memory) does not fit, the limit stops
     * just above it instead, and the outcome says so.
     */
    MemoryLimit limitMemory(Bytes limit) throws IOException;

    Bytes memoryLimit() throws IOException;

    /** Memory charged to the cgroup now, page cache included. */
    Bytes memoryUsage() throws IOException;

    /** The file a reader polls for {@link #memoryUsage()}, kept open. */
    Path memoryUsageFile();

    /** The file a reader polls for {@link #memoryLimit()}, kept open. */
    Path memoryLimitFile();

    /** The file with the memory breakdown (anon, file, active_file, shmem). */
    Path memoryStatFile();

    /** Where the cgroup's memory goes now. */
    MemoryBreakdown memoryBreakdown() throws IOException;

    /** CPU time used by the cgroup since it was made, in nanoseconds. */
    long cpuUsageNanos() throws IOException;

    /**
     * Whether tasks that reach the memory limit can be made to wait there for a raise instead of
     * being killed: v1's {@code oom_kill_disable}. On v2, {@code memory.high} throttles them below
     * the limit instead, and the guest can only freeze.
     */
    boolean canHoldAtLimit();

    /**
     * Makes tasks that reach the limit wait there (in the kernel) until it is raised (true), or
     * lets the kernel's OOM killer act (false). Only page faults wait; a charge made inside the
     * kernel with nothing to reclaim still fails.
     *
     * @throws UnsupportedOperationException when {@link #canHoldAtLimit()} is false
     */
    void holdTasksAtLimit(boolean hold) throws IOException;

    /**
     * The usage from which the kernel throttles the compute's tasks and reclaims, below a limit of
     * {@code limitBytes}: v2's memory.high; on v1 the limit itself.
     */
    default long throttlingFrom(long limitBytes) {
        return limitBytes;
    }

    /** Whether tasks are waiting at the limit now (only while they are held there). */
    boolean underOom() throws IOException;

    /** How many processes the kernel's OOM killer has killed in this cgroup; -1 when the kernel does not count them. */
    long oomKills() throws IOException;

    /** Stops every process of the cgroup where it is, and returns once they are stopped. */
    void freeze() throws IOException;

    void thaw() throws IOException;

    boolean frozen() throws IOException;

    /** The pids in the cgroup. */
    Set<Long> processes() throws IOException;

    /**
     * Kills every process of the cgroup (SIGKILL), thawing it if frozen so that the kills land.
     * They are gone a moment later: wait for {@link #processes()} to be empty.
     */
    default void killAll() throws IOException {
        for (long pid : processes()) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
        if (frozen()) {
            thaw();
        }
    }

    /** Removes the directories; false, with nothing removed, while processes remain. */
    boolean remove() throws IOException;

    /**
     * Removes the directories once the processes are gone (those of a stopped or killed compute
     * leave a moment after their parent), waiting at most {@code within}; false when some remain.
     */
    default boolean removeOnceEmpty(Duration within) throws IOException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!processes().isEmpty() && System.nanoTime() - deadline < 0) {
            LockSupport.parkNanos(EMPTY_POLL_NANOS);
        }
        return remove();
    }

    /**
     * The cgroup's memory by kind.
     *
     * @param usage      everything charged, as the limit counts it
     * @param pageCache  file pages, shared memory (Postgres' shared buffers) included
     * @param shmem      shared memory: counted as page cache, but never reclaimed without swap
     * @param activeFile file pages used recently: the cache the compute keeps using
     */
    record MemoryBreakdown(long usage, long pageCache, long shmem, long activeFile) {
        /** What a smaller limit could not take back: all but the page cache that is not shared memory. */
        public long unreclaimable() {
            return Math.max(0, usage - Math.max(0, pageCache - shmem));
        }
    }

    /**
     * The outcome of setting a memory limit.
     *
     * @param requested what was asked for
     * @param applied   the limit in place now
     * @param usage     what the cgroup uses now, after any reclaim
     */
    record MemoryLimit(Bytes requested, Bytes applied, Bytes usage) {
        /** The limit could not go as low as asked: what the processes hold does not fit. */
        public boolean stoppedAtFloor() {
            return applied.compareTo(requested) > 0;
        }
    }

    /**
     * {@code command} behind a shell that first moves itself into this cgroup, then execs it: the
     * command starts inside, with everything it charges from its first page on counted here.
     */
    default List<String> joiningCommand(List<String> command) {
        StringBuilder script = new StringBuilder();
        for (Path procs : procsFiles()) {
            script.append("echo $$ > ").append(shellQuoted(procs.toString())).append(" || exit 125; ");
        }
        script.append("exec \"$@\"");
        List<String> full = new ArrayList<>(List.of("/bin/sh", "-c", script.toString(), "sh"));
        full.addAll(command);
        return full;
    }

    private static String shellQuoted(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }

    /** The quota in microseconds per {@link #CPU_PERIOD_MICROS} for a CPU size. */
    static long quotaMicros(MilliCpu cpu) {
        return Math.max(CPU_QUOTA_MIN_MICROS, cpu.millis() * CPU_PERIOD_MICROS / 1_000);
    }

    /** v1's cpu.shares for a CPU size: in proportion, within what the kernel takes (2 to 262144). */
    static long shares(MilliCpu cpu) {
        return Math.max(2, Math.min(V1_MAX_SHARES, cpu.millis() * CPU_SHARES_PER_CPU / 1_000));
    }

    /** v2's cpu.weight for a CPU size: in proportion, within what the kernel takes (1 to 10000). */
    static long weight(MilliCpu cpu) {
        return Math.max(1, Math.min(V2_MAX_WEIGHT, cpu.millis() * CPU_WEIGHT_PER_CPU / 1_000));
    }

    /** The CPU size a quota stands for. */
    static MilliCpu cpuOf(long quotaMicros, long periodMicros) {
        return new MilliCpu(quotaMicros * 1_000 / periodMicros);
    }
}
