package io.tidepool.store.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** CPU time (user + system) that processes have used, from {@code /proc/<pid>/stat}. */
final class ProcessCpu {
    /** Linux reports utime and stime in clock ticks of 1/100 s (USER_HZ) on every common build. */
    private static final double TICKS_PER_SECOND = 100;

    private ProcessCpu() {
    }

    static double seconds(List<Long> pids) {
        double total = 0;
        for (long pid : pids) {
            total += seconds(Path.of("/proc", Long.toString(pid), "stat"));
        }
        return total;
    }

    static double selfSeconds() {
        return seconds(Path.of("/proc/self/stat"));
    }

    private static double seconds(Path stat) {
        try {
            String text = Files.readString(stat);
            // Fields after the command name, which is in parentheses and may contain spaces.
            String[] fields = text.substring(text.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }
}
