package io.tidepool.server.console;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * One page of a sorted list that a filter narrows: the items from {@code offset}, at most
 * {@code limit}, and how many matched in all. Found in one pass that decodes nothing: the rows are
 * already in memory, sorted.
 */
public record Paged<T>(List<T> items, int total, int offset, int limit) {
    public static final int MAX_LIMIT = 500;

    public Paged {
        items = List.copyOf(items);
    }

    public static <T> Paged<T> of(Iterable<T> sorted, Predicate<? super T> filter, int offset, int limit) {
        if (offset < 0 || limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("a page starts at 0 or later and holds 1 to " + MAX_LIMIT
                    + " items, got offset " + offset + " and limit " + limit);
        }
        List<T> items = new ArrayList<>(Math.min(limit, 64));
        int matched = 0;
        for (T item : sorted) {
            if (!filter.test(item)) {
                continue;
            }
            if (matched >= offset && items.size() < limit) {
                items.add(item);
            }
            matched++;
        }
        return new Paged<>(items, matched, offset, limit);
    }

    /** Whether items follow this page. */
    public boolean more() {
        return offset + items.size() < total;
    }
}
