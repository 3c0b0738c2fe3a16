package io.tidepool.store.watch;

import io.tidepool.store.CompactedException;

/** The persisted change log a watch replays before it switches to live events. */
public interface ChangeHistory {
    /**
     * The events under {@code prefix} at revisions {@code fromRevision..toRevision} (both included), in
     * order. Whole revisions only; the read may stop early, after the revision at which about
     * {@code maxEvents} were collected or a scan budget ran out, and says where to go on.
     *
     * @throws CompactedException when {@code fromRevision} is below the first revision still kept
     */
    HistoryPage read(String prefix, long fromRevision, long toRevision, int maxEvents);
}
