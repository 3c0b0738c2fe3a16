package io.tidepool.standby;

import java.util.Optional;

/**
 * What pg_controldata says of a stopped server's data: whether it was shut down cleanly and where
 * its last checkpoint is. After a clean shutdown that checkpoint is the last thing the server wrote,
 * so every transaction it committed is before it.
 *
 * @param state          "shut down" after a clean shutdown; "in production" after a crash or kill
 * @param lastCheckpoint the start of the latest checkpoint record
 */
public record ControlData(String state, Lsn lastCheckpoint) {
    public static final String SHUT_DOWN = "shut down";

    public boolean shutDownCleanly() {
        return SHUT_DOWN.equals(state);
    }

    /** Reads pg_controldata's output; empty when the two lines are not in it. */
    public static Optional<ControlData> parse(String output) {
        String state = null;
        Lsn checkpoint = null;
        for (String line : output.split("\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            if (name.equals("Database cluster state")) {
                state = value;
            } else if (name.equals("Latest checkpoint location")) {
                checkpoint = Lsn.parse(value);
            }
        }
        return state == null || checkpoint == null ? Optional.empty() : Optional.of(new ControlData(state, checkpoint));
    }
}
