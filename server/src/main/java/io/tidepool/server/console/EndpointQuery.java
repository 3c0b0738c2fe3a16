package io.tidepool.server.console;

import io.tidepool.api.resource.Endpoint;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * What the endpoints page asks for: a name search (part of the name, any case), a cell and a
 * phase, and which page. Bad input is refused with a message that says what is expected.
 *
 * @param search part of the name; empty for every endpoint
 * @param cell   null for every cell
 * @param phase  null for every phase
 */
public record EndpointQuery(String search, String cell, Endpoint.Phase phase, int offset, int limit)
        implements Predicate<EndpointRow> {
    public static final int DEFAULT_LIMIT = 50;
    static final int MAX_SEARCH_LENGTH = 63;

    public EndpointQuery {
        search = search == null ? "" : search.trim().toLowerCase(Locale.ROOT);
        if (search.length() > MAX_SEARCH_LENGTH) {
            throw new IllegalArgumentException("a search is part of an endpoint name, at most " + MAX_SEARCH_LENGTH
                    + " characters, got " + search.length());
        }
        cell = cell == null || cell.isBlank() ? null : cell.trim();
    }

    /** Reads the page's query parameters; any of them may be absent. */
    public static EndpointQuery parse(String search, String cell, String phase, String offset, String limit) {
        return new EndpointQuery(search, cell, phaseOf(phase), number("offset", offset, 0), number("limit", limit, DEFAULT_LIMIT));
    }

    @Override
    public boolean test(EndpointRow row) {
        return (cell == null || cell.equals(row.cell()))
                && (phase == null || phase == row.phase())
                && (search.isEmpty() || row.name().contains(search));
    }

    public Paged<EndpointRow> page(Iterable<EndpointRow> byName) {
        return Paged.of(byName, this, offset, limit);
    }

    private static Endpoint.Phase phaseOf(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        return Arrays.stream(Endpoint.Phase.values()).filter(p -> p.name().equalsIgnoreCase(text.trim())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("phase must be one of "
                        + String.join(", ", Arrays.stream(Endpoint.Phase.values()).map(Enum::name).toList()) + ", got \"" + text + "\""));
    }

    static int number(String name, String text, int absent) {
        if (text == null || text.isBlank()) {
            return absent;
        }
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, got \"" + text + "\"");
        }
    }
}
