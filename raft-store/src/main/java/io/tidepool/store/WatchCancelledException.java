package io.tidepool.store;

/** A watch ended before its consumer closed it. Watch again from {@link #resumeRevision()}. */
public class WatchCancelledException extends StoreException {
    private final long resumeRevision;

    public WatchCancelledException(String reason, long resumeRevision) {
        super("watch cancelled: " + reason + "; watch again from revision " + resumeRevision);
        this.resumeRevision = resumeRevision;
    }

    public long resumeRevision() {
        return resumeRevision;
    }
}
