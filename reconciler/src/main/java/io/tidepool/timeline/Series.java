package io.tidepool.timeline;

import java.util.Arrays;
import java.util.OptionalInt;

/**
 * One endpoint's recent history in fixed time buckets, newest last, in one array of 16-bit cells
 * per bucket: allocated CU (quarter steps), load1 (hundredths of a vCPU) and memory used (4 MiB
 * units). A bucket keeps the largest load and memory sampled in it, so a short spike still shows,
 * and the latest CU, so that the line ends where the size is. The ring holds at most {@code capacity} buckets; older ones are overwritten. 16 bits a
 * value keeps 100,000 endpoints' hours of history in about a hundred megabytes of the leader's heap.
 *
 * <p>CU is a step function learnt from the fleet's changes, not sampled: a bucket that no change
 * reached carries the CU of the one before it. Load and memory come only from samples; a bucket
 * without one has none ({@link #MISSING}), and the chart shows a gap there.
 *
 * <p>Not thread-safe: {@link Timelines} holds its lock while calling it.
 */
final class Series {
    static final char MISSING = Character.MAX_VALUE;
    /** Largest value a cell holds: larger ones are clamped to it. */
    static final int MAX_STORED = Character.MAX_VALUE - 1;
    static final long MEMORY_UNIT_BYTES = 4L << 20;
    /** Load is held in hundredths of a vCPU. */
    static final int LOAD_STEPS_PER_VCPU = 100;

    private static final int CU = 0;
    private static final int LOAD = 1;
    private static final int MEMORY = 2;
    private static final int FIELDS = 3;

    private final long stepSeconds;
    private final char[] cells;
    private final int capacity;
    /** The absolute bucket (epoch seconds / step) of the newest slot; meaningless while {@code filled == 0}. */
    private long newestBucket;
    private int newestSlot;
    private int filled;
    /** The latest CU heard, whatever bucket it fell in: what a new bucket starts with. */
    private char carriedCu = MISSING;

    Series(long stepSeconds, int capacity) {
        if (stepSeconds < 1 || capacity < 1) {
            throw new IllegalArgumentException("a series needs a step of at least 1 s and room for a bucket, got "
                    + stepSeconds + " s and " + capacity);
        }
        this.stepSeconds = stepSeconds;
        this.capacity = capacity;
        this.cells = new char[capacity * FIELDS];
    }

    /** Records allocated CU at {@code epochSecond}; it holds from then until the next change. */
    void allocated(long epochSecond, long cuQuarters) {
        char value = clamp(cuQuarters);
        long bucket = Math.floorDiv(epochSecond, stepSeconds);
        if (filled > 0 && bucket < newestBucket) {
            // A late change: it holds in its own bucket, and the CU carried on is the later one already heard.
            slotOf(bucket).ifPresent(slot -> cells[slot * FIELDS + CU] = value);
            return;
        }
        // Buckets skipped on the way held the CU from before.
        int slot = advanceTo(bucket);
        carriedCu = value;
        cells[slot * FIELDS + CU] = value;
    }

    /** Records one metrics sample. */
    void sample(long epochSecond, double load1, long memoryUsedBytes) {
        long bucket = Math.floorDiv(epochSecond, stepSeconds);
        if (filled > 0 && bucket < newestBucket) {
            slotOf(bucket).ifPresent(slot -> {
                raise(slot, LOAD, loadValue(load1));
                raise(slot, MEMORY, memoryValue(memoryUsedBytes));
            });
            return;
        }
        int slot = advanceTo(bucket);
        raise(slot, LOAD, loadValue(load1));
        raise(slot, MEMORY, memoryValue(memoryUsedBytes));
    }

    int size() {
        return filled;
    }

    int capacity() {
        return capacity;
    }

    long stepSeconds() {
        return stepSeconds;
    }

    /** The buckets, oldest first: their start times and values, null where a bucket has none. */
    Columns columns() {
        long[] starts = new long[filled];
        Double[] cu = new Double[filled];
        Double[] load = new Double[filled];
        Long[] memory = new Long[filled];
        for (int i = 0; i < filled; i++) {
            int age = filled - 1 - i;
            int slot = Math.floorMod(newestSlot - age, capacity);
            starts[i] = (newestBucket - age) * stepSeconds;
            char c = cells[slot * FIELDS + CU];
            char l = cells[slot * FIELDS + LOAD];
            char m = cells[slot * FIELDS + MEMORY];
            cu[i] = c == MISSING ? null : c / 4.0;
            load[i] = l == MISSING ? null : l / (double) LOAD_STEPS_PER_VCPU;
            memory[i] = m == MISSING ? null : m * MEMORY_UNIT_BYTES;
        }
        return new Columns(starts, cu, load, memory);
    }

    /** A series as columns, oldest first, for a chart. */
    record Columns(long[] startEpochSeconds, Double[] cu, Double[] load1, Long[] memoryUsedBytes) {
    }

    /** Moves the ring on to {@code bucket} (at or after the newest) and returns its slot. */
    private int advanceTo(long bucket) {
        if (filled == 0) {
            newestBucket = bucket;
            newestSlot = 0;
            filled = 1;
            startBucket(0);
            return 0;
        }
        long ahead = bucket - newestBucket;
        if (ahead == 0) {
            return newestSlot;
        }
        // A gap longer than the ring clears all of it.
        int fresh = (int) Math.min(ahead, capacity);
        for (int k = 1; k <= fresh; k++) {
            startBucket((newestSlot + k) % capacity);
        }
        newestSlot = (int) ((newestSlot + ahead) % capacity);
        newestBucket = bucket;
        filled = (int) Math.min(capacity, filled + ahead);
        return newestSlot;
    }

    private void startBucket(int slot) {
        int base = slot * FIELDS;
        cells[base + CU] = carriedCu;
        cells[base + LOAD] = MISSING;
        cells[base + MEMORY] = MISSING;
    }

    private OptionalInt slotOf(long bucket) {
        long age = newestBucket - bucket;
        return age < 0 || age >= filled ? OptionalInt.empty()
                : OptionalInt.of(Math.floorMod(newestSlot - (int) age, capacity));
    }

    private void raise(int slot, int field, char value) {
        int index = slot * FIELDS + field;
        if (cells[index] == MISSING || value > cells[index]) {
            cells[index] = value;
        }
    }

    private static char loadValue(double load1) {
        return clamp(Math.round(load1 * LOAD_STEPS_PER_VCPU));
    }

    private static char memoryValue(long bytes) {
        return clamp(bytes / MEMORY_UNIT_BYTES);
    }

    private static char clamp(long value) {
        return (char) Math.max(0, Math.min(MAX_STORED, value));
    }

    @Override
    public String toString() {
        return "Series" + Arrays.toString(columns().cu());
    }
}
