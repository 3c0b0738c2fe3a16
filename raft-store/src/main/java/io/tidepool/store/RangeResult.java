package io.tidepool.store;

import java.util.List;

/** The keys of a range read, the revision they were read at, and whether more keys follow the page. */
public record RangeResult(List<KeyValue> items, long revision, boolean more) {
    public RangeResult {
        items = List.copyOf(items);
    }
}
