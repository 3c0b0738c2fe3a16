package io.tidepool.restart;

import java.time.Duration;

/**
 * @param prewarmLead how long before its window a replacement starts, so it is warm when the window
 *                    opens (a base backup, catching up from the WAL, and loading the hot pages)
 * @param maxPerCell  replacements a cell runs at once for planned restarts: each costs a primary's
 *                    CU of spare room until the switch
 */
public record RestartSettings(Duration prewarmLead, int maxPerCell) {
    public static final RestartSettings DEFAULT = new RestartSettings(Duration.ofMinutes(10), 10);
}
