package io.tidepool.postgres;

import io.tidepool.api.quantity.Cu;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Postgres settings that follow a compute's size, applied with ALTER SYSTEM and a reload on
 * every resize. shared_buffers is not among them (it needs a restart, and shared memory cannot be
 * given back without swap): it stays small, and the page cache inside the compute's cgroup, which
 * grows and shrinks with its memory limit, is the compute's cache.
 */
public final class SizedSettings {
    private static final long MIB = 1L << 20;
    /** Fixed at start: Postgres' default, small enough for the smallest size (0.25 CU, 1 GiB). */
    public static final long SHARED_BUFFERS_BYTES = 128 * MIB;
    public static final String SHARED_BUFFERS = megabytes(SHARED_BUFFERS_BYTES);

    private SizedSettings() {
    }

    /** effective_cache_size, work_mem and maintenance_work_mem for a compute of {@code cu}. */
    public static Map<String, String> of(Cu cu) {
        long memory = cu.memory().value();
        Map<String, String> settings = new LinkedHashMap<>();
        // What the planner may assume is cached: the memory beyond the backends' own.
        settings.put("effective_cache_size", megabytes(memory * 3 / 4));
        settings.put("work_mem", megabytes(clamp(memory / 64, 4 * MIB, 256 * MIB)));
        settings.put("maintenance_work_mem", megabytes(clamp(memory / 16, 64 * MIB, 2048 * MIB)));
        return settings;
    }

    private static long clamp(long value, long min, long max) {
        return Math.max(min, Math.min(max, value));
    }

    private static String megabytes(long bytes) {
        return Math.max(1, bytes / MIB) + "MB";
    }
}
