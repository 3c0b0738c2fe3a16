package io.tidepool.store.ratis;

/** Whether a compaction was accepted (false: it named a future revision) and the revision it saw. */
record CompactResult(boolean accepted, long currentRevision) {
}
