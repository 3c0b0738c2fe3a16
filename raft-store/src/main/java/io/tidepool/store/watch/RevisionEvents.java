package io.tidepool.store.watch;

import io.tidepool.store.WatchEvent;

import java.util.List;

/** The events of one revision that one watch is interested in; never split. */
record RevisionEvents(long revision, List<WatchEvent> events) {
}
