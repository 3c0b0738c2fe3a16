package io.tidepool.migration;

import java.time.Duration;

/**
 * @param limits    how many moves may copy at once, per source host and per cell
 * @param timeout   a replacement not warm this long after its move started is given up (its host
 *                  is likely slow or failing); the host sheds again at the next look
 * @param retention finished migrations stay this long, for describe and the console, then go
 */
public record MigrationSettings(MigrationLimits limits, Duration timeout, Duration retention) {
    /** KubeVirt's caps (2 outbound per node, 5 per cluster); a warm-up of minutes is normal, ten is not. */
    public static final MigrationSettings DEFAULT = new MigrationSettings(new MigrationLimits(2, 5),
            Duration.ofMinutes(10), Duration.ofHours(1));
}
