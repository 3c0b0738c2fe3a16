package io.tidepool.guest.pressure;

import java.time.Duration;
import java.time.Instant;

/**
 * On cgroup v2 tasks cannot be made to wait at the limit (v1's oom_kill_disable), so the guest
 * stops the compute for a moment instead, as Neon's does: once usage passes memory.high, where the
 * kernel throttles and reclaims, while the guest calls for memory, it freezes the cgroup for at
 * most {@link Settings#max()}, long enough for most raises, and thaws it the moment the limit rises
 * or that time is up. Then it does not freeze again for {@link Settings#pause()}: a compute that
 * gets no raise runs on, throttled, and the kernel decides. Pure: no clock, no I/O.
 */
public final class BriefFreeze {

    /**
     * @param max   the longest one freeze lasts
     * @param pause how long after a thaw the compute runs before it may be frozen again
     */
    public record Settings(Duration max, Duration pause) {
        public static final Settings DEFAULT = new Settings(Duration.ofMillis(20), Duration.ofSeconds(1));

        public Settings {
            if (max.isNegative() || max.isZero() || pause.isNegative()) {
                throw new IllegalArgumentException("max must be positive and pause not negative, got " + max + ", " + pause);
            }
        }
    }

    public enum Action { NONE, FREEZE, THAW }

    private final Settings settings;
    private Instant frozenAt;
    private long limitAtFreeze;
    private Instant thawedAt;

    public BriefFreeze(Settings settings) {
        this.settings = settings;
    }

    /**
     * @param overHigh whether usage is at or past the throttling point while the guest calls for memory
     */
    public Action next(Instant at, long limitBytes, boolean overHigh) {
        if (frozenAt != null) {
            if (limitBytes > limitAtFreeze || !at.isBefore(thawBy())) {
                frozenAt = null;
                thawedAt = at;
                return Action.THAW;
            }
            return Action.NONE;
        }
        if (overHigh && (thawedAt == null || !at.isBefore(thawedAt.plus(settings.pause())))) {
            frozenAt = at;
            limitAtFreeze = limitBytes;
            return Action.FREEZE;
        }
        return Action.NONE;
    }

    /** The guest stops: whether a freeze was on, which the caller must now undo. */
    public boolean release() {
        boolean was = frozenAt != null;
        frozenAt = null;
        return was;
    }

    public boolean frozen() {
        return frozenAt != null;
    }

    /** When the current freeze ends at the latest; only while {@link #frozen()}. */
    public Instant thawBy() {
        if (frozenAt == null) {
            throw new IllegalStateException("not frozen");
        }
        return frozenAt.plus(settings.max());
    }
}
