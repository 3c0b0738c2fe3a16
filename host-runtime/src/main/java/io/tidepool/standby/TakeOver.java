package io.tidepool.standby;

import java.util.Optional;

/**
 * How a promoted standby takes over from the primary it followed, which has stopped (the store
 * promotes a replacement only after the fenced primary's host reported it Stopped). A committed
 * transaction is never lost: the standby is promoted only when it has received everything the old
 * primary wrote, up to and past its shutdown checkpoint (a fast shutdown sends all WAL to a
 * connected standby and waits for it to be written before the server exits). Otherwise the old
 * primary's data is started instead, as a stop and start does: its own WAL holds every commit.
 */
public sealed interface TakeOver {

    /** pg_promote on the standby. */
    record Promote(String why) implements TakeOver {
    }

    /** Discard the standby and start Postgres on the old primary's data. */
    record StartOnOldData(String why) implements TakeOver {
    }

    /** Neither is safe: the old primary's data cannot be read here and the standby may lack WAL. */
    record Refuse(String why) implements TakeOver {
    }

    /**
     * @param oldPrimary what pg_controldata says of the old primary's data; empty when it is not
     *                   reachable from this host
     * @param received   how far the standby has received and flushed WAL; empty when it cannot say
     */
    static TakeOver decide(Optional<ControlData> oldPrimary, Optional<Lsn> received) {
        if (oldPrimary.isEmpty()) {
            return new Refuse("the old primary's data is not reachable from this host, so nothing shows"
                    + " that the standby received all it committed");
        }
        ControlData old = oldPrimary.get();
        if (!old.shutDownCleanly()) {
            return new StartOnOldData("the old primary did not shut down cleanly (" + old.state()
                    + "): only its own WAL surely holds every commit");
        }
        if (received.isEmpty() || !received.get().isAfter(old.lastCheckpoint())) {
            return new StartOnOldData("the standby received WAL up to " + received.map(Lsn::toString).orElse("nothing known")
                    + ", not past the old primary's shutdown checkpoint at " + old.lastCheckpoint());
        }
        return new Promote("the standby received WAL up to " + received.get() + ", past the old primary's shutdown checkpoint at "
                + old.lastCheckpoint());
    }
}
