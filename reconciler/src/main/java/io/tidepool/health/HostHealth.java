package io.tidepool.health;

import java.time.Duration;
import java.time.Instant;

/**
 * Whether a host is ready, from its heartbeats: pure. A host is ready while its last heartbeat is
 * within the grace period. Absence counts only once this leader has itself watched for a whole
 * grace period: a new leader has heard no heartbeat yet, and must not declare the fleet dead.
 */
public final class HostHealth {

    /** @param recheckAt when the answer may change if nothing is heard meanwhile; null when never */
    public record Decision(boolean ready, Instant recheckAt, String explanation) {
    }

    private HostHealth() {
    }

    public static Decision decide(String host, Instant lastHeartbeat, boolean readyNow, Instant termStart,
                                  Duration grace, Instant now) {
        if (lastHeartbeat != null && !now.isAfter(lastHeartbeat.plus(grace))) {
            return new Decision(true, lastHeartbeat.plus(grace), host + " is ready: last heartbeat "
                    + ago(lastHeartbeat, now) + " ago (grace " + grace.toSeconds() + "s)");
        }
        Instant watchedEnough = termStart.plus(grace);
        if (now.isBefore(watchedEnough)) {
            return new Decision(readyNow, watchedEnough, host + " stays " + (readyNow ? "ready" : "not ready")
                    + ": this leader has watched for " + ago(termStart, now) + ", less than the grace of "
                    + grace.toSeconds() + "s");
        }
        return new Decision(false, null, host + " is not ready: " + (lastHeartbeat == null
                ? "no heartbeat for " + ago(termStart, now)
                : "last heartbeat " + ago(lastHeartbeat, now) + " ago") + ", grace " + grace.toSeconds() + "s");
    }

    private static String ago(Instant then, Instant now) {
        return Duration.between(then, now).toSeconds() + "s";
    }
}
