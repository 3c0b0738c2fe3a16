package io.tidepool.guest.metrics;

import io.tidepool.api.agent.ComputeMetrics;
import io.tidepool.guest.cgroup.ComputeCgroup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * The metrics the autoscaler sizes a compute by, measured in its cgroup: the load average, the
 * memory it uses that a smaller limit could not reclaim, and the page cache it keeps using. Sample
 * it regularly (every second or so): the load average is built from samples.
 *
 * <p>Each sample's load is the larger of two measures: the CPUs the cgroup kept busy since the last
 * sample (its CPU usage, which sees every burst between samples but never more than the quota), and
 * the tasks runnable right now (which sees the demand a quota holds back: throttled tasks stay
 * runnable).
 */
public final class CgroupSampler {
    private final ComputeCgroup cgroup;
    private final LoadAverage load = new LoadAverage();
    private long lastCpuNanos = -1;
    private Instant lastAt;

    public CgroupSampler(ComputeCgroup cgroup) {
        this.cgroup = cgroup;
    }

    public ComputeMetrics sample(Instant now) throws IOException {
        ComputeCgroup.MemoryBreakdown memory = cgroup.memoryBreakdown();
        long cpuNanos = cgroup.cpuUsageNanos();
        double busy = 0;
        if (lastAt != null && now.isAfter(lastAt) && cpuNanos >= lastCpuNanos) {
            busy = (cpuNanos - lastCpuNanos) / (double) Duration.between(lastAt, now).toNanos();
        }
        lastCpuNanos = cpuNanos;
        lastAt = now;
        double load1 = load.add(now, Math.max(busy, runnable(cgroup.processes())));
        return new ComputeMetrics(now, load1, memory.unreclaimable(), memory.activeFile());
    }

    /** How many of the processes are running or waiting for a CPU (state R in /proc/PID/stat). */
    static int runnable(Set<Long> pids) throws IOException {
        int runnable = 0;
        for (long pid : pids) {
            try {
                String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
                // The command name may hold spaces and parentheses: the state follows the last ")".
                int close = stat.lastIndexOf(')');
                if (close > 0 && close + 2 < stat.length() && stat.charAt(close + 2) == 'R') {
                    runnable++;
                }
            } catch (NoSuchFileException e) {
                // exited since the cgroup listed it
            } catch (IOException e) {
                // Exiting while read, the kernel answers "No such process" (ESRCH) instead. One
                // process gone must not stop the sampling, nor the guest agent with it.
                if (Files.exists(Path.of("/proc", Long.toString(pid)))) {
                    throw e;
                }
            }
        }
        return runnable;
    }
}
