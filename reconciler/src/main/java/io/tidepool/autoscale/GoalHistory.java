package io.tidepool.autoscale;

import io.tidepool.api.quantity.Cu;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * The goals of one compute over the last stabilisation window, as the leader saw them: soft state,
 * kept in memory and rebuilt from nothing after a failover, which is why it records since when it
 * has been watching.
 *
 * <p>The leader keeps one per compute (100,000 of them, a sample every ~10 s), so it is a ring of
 * parallel primitive arrays, one entry per sample, never one object per sample; times are int
 * milliseconds from a base that moves forward when needed, and entries older than the window are
 * dropped as samples arrive. A 5 minute window of 10 s samples takes about 750 bytes in all.
 *
 * <p>To stay bounded however fast samples come, the window is cut into {@value #SLOTS_PER_WINDOW}
 * slots and samples in the same slot share one entry holding their highest goal and the time of
 * the newest of them: a goal may then be remembered a little longer than its sample deserves, never
 * shorter, so merging can only delay a downscale.
 *
 * <p>Not thread-safe: the caller confines a history to one thread at a time, or locks around it.
 */
public final class GoalHistory implements RecentGoals {
    static final int SLOTS_PER_WINDOW = 60;
    private static final int INITIAL_CAPACITY = 8;
    private static final Goal.Dimension[] DIMENSIONS = Goal.Dimension.values();

    private final Instant observingSince;
    private final long windowMillis;
    private final long slotMillis;
    private final int maxEntries;
    private long baseMillis;
    private int[] atMillis;
    private int[] goalQuarters;
    private byte[] dominant;
    private float[] observed;
    private int oldest;
    private int size;
    private Goal latest;

    /**
     * @param window         how far back to remember; at least the policy's stabilisation window
     * @param observingSince when this leader began receiving samples for the compute
     */
    public GoalHistory(Duration window, Instant observingSince) {
        Objects.requireNonNull(window, "window");
        this.observingSince = Objects.requireNonNull(observingSince, "observingSince");
        if (window.toMillis() < 1 || window.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a goal history needs a window from 1ms to 24 days, got " + window);
        }
        this.windowMillis = window.toMillis();
        this.slotMillis = Math.max(1, windowMillis / SLOTS_PER_WINDOW);
        // Entries sit in distinct slots within [newest - window, newest]: at most this many.
        this.maxEntries = (int) (windowMillis / slotMillis) + 2;
        int capacity = Math.min(INITIAL_CAPACITY, maxEntries);
        atMillis = new int[capacity];
        goalQuarters = new int[capacity];
        dominant = new byte[capacity];
        observed = new float[capacity];
    }

    /**
     * Adds the goal of a new sample and forgets what fell out of the window. A sample not newer
     * than the latest one (late or repeated) is ignored.
     *
     * @return whether the sample was recorded
     */
    public boolean record(Goal goal) {
        Instant at = goal.sample().at();
        if (latest != null && !at.isAfter(latest.sample().at())) {
            return false;
        }
        latest = goal;
        long atMs = at.toEpochMilli();
        dropOlderThan(atMs - windowMillis);
        moveBaseToFit(atMs);
        int quarters = (int) Math.min(goal.total().quarters(), Goal.MAX_QUARTERS);
        if (size > 0 && slotOf(entryAt(index(size - 1))) == slotOf(atMs)) {
            mergeIntoNewest(atMs, quarters, goal);
        } else {
            append(atMs, quarters, goal);
        }
        return true;
    }

    @Override
    public Instant observingSince() {
        return observingSince;
    }

    @Override
    public Optional<Goal> latest() {
        return Optional.ofNullable(latest);
    }

    @Override
    public Optional<Peak> peakSince(Instant from) {
        long fromMs = from.toEpochMilli();
        int best = -1;
        for (int i = 0; i < size; i++) {
            int entry = index(i);
            if (entryAt(entry) >= fromMs && (best < 0 || goalQuarters[entry] >= goalQuarters[best])) {
                best = entry;
            }
        }
        if (best < 0) {
            return Optional.empty();
        }
        return Optional.of(new Peak(Instant.ofEpochMilli(entryAt(best)), Cu.ofQuarters(goalQuarters[best]),
                DIMENSIONS[dominant[best]], observed[best]));
    }

    @Override
    public Duration longestGapBetween(Instant from, Instant to) {
        long fromMs = from.toEpochMilli();
        long toMs = to.toEpochMilli();
        if (toMs <= fromMs) {
            return Duration.ZERO;
        }
        long previous = fromMs;
        long longest = 0;
        for (int i = 0; i < size; i++) {
            long at = entryAt(index(i));
            if (at >= fromMs && at <= toMs) {
                longest = Math.max(longest, at - previous);
                previous = at;
            }
        }
        return Duration.ofMillis(Math.max(longest, toMs - previous));
    }

    /** How many entries the ring holds now. */
    int size() {
        return size;
    }

    /** How many entries the arrays have room for; never more than {@link #maxEntries()}. */
    int capacity() {
        return atMillis.length;
    }

    /** The most entries a window can need, whatever the sample rate. */
    int maxEntries() {
        return maxEntries;
    }

    /** The time of the oldest entry kept, for tests. */
    Optional<Instant> oldestEntryAt() {
        return size == 0 ? Optional.empty() : Optional.of(Instant.ofEpochMilli(entryAt(oldest)));
    }

    private void dropOlderThan(long cutoffMs) {
        while (size > 0 && entryAt(oldest) < cutoffMs) {
            oldest = (oldest + 1) % atMillis.length;
            size--;
        }
    }

    /**
     * Moves the base forward when {@code atMs} would not fit an int offset from it. Called after
     * dropping what fell out of the window, so every entry left is at most a window (at most 24
     * days) older than {@code atMs} and still fits after the move.
     */
    private void moveBaseToFit(long atMs) {
        if (size == 0) {
            baseMillis = atMs;
            return;
        }
        if (atMs - baseMillis <= Integer.MAX_VALUE) {
            return;
        }
        long newBase = atMs - windowMillis;
        for (int i = 0; i < size; i++) {
            int entry = index(i);
            atMillis[entry] = (int) (entryAt(entry) - newBase);
        }
        baseMillis = newBase;
    }

    private long entryAt(int entry) {
        return baseMillis + atMillis[entry];
    }

    private void mergeIntoNewest(long atMs, int quarters, Goal goal) {
        int newest = index(size - 1);
        atMillis[newest] = (int) (atMs - baseMillis);
        if (quarters >= goalQuarters[newest]) {
            write(newest, atMs, quarters, goal);
        }
    }

    private void append(long atMs, int quarters, Goal goal) {
        if (size == atMillis.length) {
            grow();
        }
        write(index(size), atMs, quarters, goal);
        size++;
    }

    private void write(int entry, long atMs, int quarters, Goal goal) {
        Goal.Dimension dimension = goal.dominant();
        atMillis[entry] = (int) (atMs - baseMillis);
        goalQuarters[entry] = quarters;
        dominant[entry] = (byte) dimension.ordinal();
        observed[entry] = (float) dimension.observedIn(goal.sample());
    }

    private void grow() {
        int capacity = Math.min(atMillis.length * 2, maxEntries);
        if (capacity <= size) {
            throw new IllegalStateException("a goal history cannot hold more than " + maxEntries + " entries");
        }
        int[] newAt = new int[capacity];
        int[] newGoals = new int[capacity];
        byte[] newDominant = new byte[capacity];
        float[] newObserved = new float[capacity];
        for (int i = 0; i < size; i++) {
            int from = index(i);
            newAt[i] = atMillis[from];
            newGoals[i] = goalQuarters[from];
            newDominant[i] = dominant[from];
            newObserved[i] = observed[from];
        }
        atMillis = newAt;
        goalQuarters = newGoals;
        dominant = newDominant;
        observed = newObserved;
        oldest = 0;
    }

    private int index(int position) {
        return (oldest + position) % atMillis.length;
    }

    private long slotOf(long atMs) {
        return Math.floorDiv(atMs, slotMillis);
    }

    @Override
    public String toString() {
        long[] times = new long[size];
        int[] goals = new int[size];
        for (int i = 0; i < size; i++) {
            times[i] = entryAt(index(i));
            goals[i] = goalQuarters[index(i)];
        }
        return "GoalHistory[since " + observingSince + ", at " + Arrays.toString(times)
                + ", goal quarters " + Arrays.toString(goals) + "]";
    }
}
