package io.tidepool.endpoint;

import java.time.Duration;
import java.time.Instant;

/**
 * When an idle endpoint is suspended (scaled to zero): pure. Idle time counts from the latest of its
 * last activity, its compute's start and this leader's term start, so a new leader that has not
 * yet heard of any activity never suspends endpoints that were busy under the old one.
 */
public final class SuspendPolicy {

    /** @param recheckAt when to look again if nothing happens; null when the endpoint never suspends */
    public record Decision(boolean suspend, Instant recheckAt, String explanation) {
    }

    private SuspendPolicy() {
    }

    public static Decision decide(Duration suspendAfter, Instant lastActive, Instant computeStarted,
                                  Instant termStart, Instant now) {
        if (suspendAfter == null) {
            return new Decision(false, null, "never suspends: no suspendAfter");
        }
        Instant idleSince = latest(latest(lastActive, computeStarted), termStart);
        Instant due = idleSince.plus(suspendAfter);
        if (now.isBefore(due)) {
            return new Decision(false, due, "active " + Duration.between(idleSince, now).toSeconds()
                    + "s ago; suspends after " + suspendAfter.toSeconds() + "s idle");
        }
        return new Decision(true, null, "suspended: idle for " + Duration.between(idleSince, now).toSeconds()
                + "s (suspendAfter " + suspendAfter.toSeconds() + "s)");
    }

    private static Instant latest(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isAfter(b) ? a : b;
    }
}
