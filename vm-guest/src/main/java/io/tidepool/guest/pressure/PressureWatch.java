package io.tidepool.guest.pressure;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What the guest agent does about memory, decided from one reading of the compute's cgroup at a
 * time: ask for more the moment what cannot be reclaimed nears the limit, ask again only after a
 * while if no raise came, and keep tasks waiting at the limit rather than killed, but never for
 * longer than {@link Settings#holdMax()}: past that the kernel's OOM killer decides again. Pure: no
 * clock, no I/O; the agent reads the cgroup, calls {@link #next}, and carries out the actions.
 */
public final class PressureWatch {

    /**
     * @param threshold    the share of the limit at which unreclaimable memory counts as pressure
     * @param requestAgain how long an unanswered request stands before it is made again
     * @param holdMax      the longest tasks may wait at the limit for a raise
     */
    public record Settings(double threshold, Duration requestAgain, Duration holdMax) {
        public static final Settings DEFAULT = new Settings(0.9, Duration.ofMillis(500), Duration.ofSeconds(10));

        public Settings {
            if (!(threshold > 0 && threshold <= 1)) {
                throw new IllegalArgumentException("threshold must be in (0, 1], got " + threshold);
            }
        }
    }

    /**
     * One reading of the cgroup.
     *
     * @param underOom whether tasks are waiting at the limit now (v1's under_oom)
     */
    public record Reading(Instant at, long limitBytes, long unreclaimableBytes, boolean underOom) {
    }

    public sealed interface Action {
    }

    /** Ask the host agent for at least {@code neededBytes} of limit, saying why. */
    public record RequestUpscale(long neededBytes, String reason) implements Action {
    }

    /** Let tasks that reach the limit wait (true) or be killed by the kernel (false). */
    public record HoldAtLimit(boolean hold) implements Action {
    }

    private final Settings settings;
    private Instant requestedAt;
    private long requestedForLimit = -1;
    private Instant holdingSince;
    private boolean holdEnabled;
    private boolean holdExpired;

    public PressureWatch(Settings settings) {
        this.settings = settings;
    }

    /**
     * Whether nothing is pending: holding is on, no request stands, no tasks wait. A settled watch
     * does nothing for a reading without pressure, so a guest may skip such readings (most of them)
     * without building one: at one every 5 ms, per compute, what it would allocate adds up.
     */
    public boolean settled() {
        return holdEnabled && !holdExpired && requestedForLimit < 0 && holdingSince == null;
    }

    /** The actions for this reading, in order. The first reading enables holding. */
    public List<Action> next(Reading reading) {
        List<Action> actions = new ArrayList<>(2);
        if (reading.limitBytes() != requestedForLimit && requestedForLimit >= 0) {
            // The limit changed since the request: it was answered, one way or the other.
            requestedAt = null;
            requestedForLimit = -1;
            holdExpired = false;
        }
        if (holdExpired && !reading.underOom()) {
            // The squeeze is over (the kernel killed something, or memory was freed): hold again next time.
            holdExpired = false;
        }
        if (!holdEnabled && !holdExpired) {
            holdEnabled = true;
            actions.add(new HoldAtLimit(true));
        }
        long pressureAt = (long) (reading.limitBytes() * settings.threshold());
        boolean pressure = reading.unreclaimableBytes() >= pressureAt || reading.underOom();
        if (pressure && (requestedAt == null
                || !reading.at().isBefore(requestedAt.plus(settings.requestAgain())))) {
            requestedAt = reading.at();
            requestedForLimit = reading.limitBytes();
            actions.add(new RequestUpscale(needed(reading), reading.underOom()
                    ? "tasks are waiting at the " + mib(reading.limitBytes()) + " MiB limit"
                    : mib(reading.unreclaimableBytes()) + " MiB in use of a " + mib(reading.limitBytes()) + " MiB limit"));
        }
        if (reading.underOom()) {
            holdingSince = holdingSince == null ? reading.at() : holdingSince;
            if (holdEnabled && !reading.at().isBefore(holdingSince.plus(settings.holdMax()))) {
                holdEnabled = false;
                holdExpired = true;
                actions.add(new HoldAtLimit(false));
            }
        } else {
            holdingSince = null;
        }
        return actions;
    }

    /** Room for what is in use with the threshold's headroom, and never less than a quarter more. */
    private long needed(Reading reading) {
        long forUse = (long) Math.ceil(reading.unreclaimableBytes() / settings.threshold());
        return Math.max(forUse, reading.limitBytes() + reading.limitBytes() / 4);
    }

    private static long mib(long bytes) {
        return bytes >> 20;
    }
}
