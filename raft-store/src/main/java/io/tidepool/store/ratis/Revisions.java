package io.tidepool.store.ratis;

/** A replica's current revision and the lowest revision its change history still holds. */
record Revisions(long current, long firstWatchable) {
}
