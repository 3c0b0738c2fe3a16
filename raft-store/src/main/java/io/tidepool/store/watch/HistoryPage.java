package io.tidepool.store.watch;

import io.tidepool.store.WatchEvent;

import java.util.List;

/** Events read from a {@link ChangeHistory}, and the first revision the read did not cover. */
public record HistoryPage(List<WatchEvent> events, long nextRevision) {
    public HistoryPage {
        events = List.copyOf(events);
    }
}
