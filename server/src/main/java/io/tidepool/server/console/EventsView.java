package io.tidepool.server.console;

import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/** The events page: newest first, a page at a time, optionally only those whose object, reason or message has a word. */
public record EventsView(List<EventRow> items, int total, int offset, int limit) {

    static EventsView of(ConsoleIndex index, String search, int offset, int limit) {
        String word = search == null ? "" : search.trim().toLowerCase(Locale.ROOT);
        if (word.length() > 200) {
            throw new IllegalArgumentException("a search of events is at most 200 characters, got " + word.length());
        }
        Predicate<EventRow> matches = e -> word.isEmpty() || contains(e.involved(), word) || contains(e.reason(), word)
                || contains(e.message(), word);
        Paged<EventRow> page = Paged.of(index.events(), matches, offset, limit);
        return new EventsView(page.items(), page.total(), page.offset(), page.limit());
    }

    private static boolean contains(String text, String word) {
        return text != null && text.toLowerCase(Locale.ROOT).contains(word);
    }
}
