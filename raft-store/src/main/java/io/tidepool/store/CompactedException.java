package io.tidepool.store;

/** A watch asked for history that compaction already removed. List again, then watch from there. */
public class CompactedException extends StoreException {
    private final long requestedRevision;
    private final long firstWatchableRevision;

    public CompactedException(long requestedRevision, long firstWatchableRevision) {
        super("revision " + requestedRevision + " was compacted; history starts at revision "
                + firstWatchableRevision + ": list again and watch from the list's revision + 1");
        this.requestedRevision = requestedRevision;
        this.firstWatchableRevision = firstWatchableRevision;
    }

    public long requestedRevision() {
        return requestedRevision;
    }

    public long firstWatchableRevision() {
        return firstWatchableRevision;
    }
}
