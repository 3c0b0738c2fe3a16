package io.tidepool.buffer;

import io.tidepool.capacity.HostRoom;
import java.time.Instant;

/**
 * One host of the cell as the buffer sees it.
 *
 * @param room         its capacity, ledger and watermark, and whether new computes may go there
 * @param holdsCompute whether any compute is assigned to it
 * @param emptySince   since when it has held no compute; null while it holds one
 * @param joining      made by the provider but not ready yet: its room is on its way, so it counts
 *                     like a request in flight rather than as missing spare
 */
public record BufferHost(HostRoom room, boolean holdsCompute, Instant emptySince, boolean joining) {

    public BufferHost {
        if (!holdsCompute && emptySince == null) {
            throw new IllegalArgumentException("host " + room.host() + " holds no compute: say since when it is empty");
        }
        if (holdsCompute) {
            emptySince = null;
        }
    }

    public static BufferHost busy(HostRoom room) {
        return new BufferHost(room, true, null, false);
    }

    public static BufferHost empty(HostRoom room, Instant since) {
        return new BufferHost(room, false, since, false);
    }

    public static BufferHost joining(HostRoom room, Instant since) {
        return new BufferHost(room, false, since, true);
    }

    public String name() {
        return room.host();
    }

    /** Free room below the watermark that placement may use now. */
    boolean countsAsSpare() {
        return room.schedulable() && !joining;
    }

    /** No compute and nothing on the ledger: giving it back strands nobody. */
    boolean isEmpty() {
        return !holdsCompute && room.allocated().isZero();
    }
}
