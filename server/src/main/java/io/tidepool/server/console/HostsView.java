package io.tidepool.server.console;

import io.tidepool.api.resource.Condition;
import io.tidepool.api.resource.Host;
import io.tidepool.api.resource.HostShape;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * The hosts page: a page of hosts (by name, or fullest first), each with its fill, its free room and
 * the computes on it (the first {@link #COMPUTES_SHOWN} of each, all of them when the page is one host).
 */
public record HostsView(List<HostCard> items, int total, int offset, int limit, List<String> cells) {
    /** Computes shown per host in a list of several: a full host of a big fleet runs a hundred. */
    static final int COMPUTES_SHOWN = 12;

    /** @param computesTotal how many computes the host runs; {@code computes} may show fewer */
    public record HostCard(HostFill fill, HostShape capacity, Instant lastHeartbeat, List<Condition> conditions,
                           List<ComputeRow> computes, int computesTotal) {
    }

    /** @param sort {@code name} or {@code fill} (fullest first) */
    public record Query(String search, String cell, String sort, int offset, int limit) implements Predicate<Host> {
        public Query {
            search = search == null ? "" : search.trim().toLowerCase(Locale.ROOT);
            if (search.length() > EndpointQuery.MAX_SEARCH_LENGTH) {
                throw new IllegalArgumentException("a search is part of a host name, at most " + EndpointQuery.MAX_SEARCH_LENGTH
                        + " characters, got " + search.length());
            }
            cell = cell == null || cell.isBlank() ? null : cell.trim();
            sort = sort == null || sort.isBlank() ? "name" : sort.trim();
            if (!sort.equals("name") && !sort.equals("fill")) {
                throw new IllegalArgumentException("sort must be name or fill, got \"" + sort + "\"");
            }
        }

        public static Query parse(String search, String cell, String sort, String offset, String limit) {
            return new Query(search, cell, sort, EndpointQuery.number("offset", offset, 0),
                    EndpointQuery.number("limit", limit, EndpointQuery.DEFAULT_LIMIT));
        }

        @Override
        public boolean test(Host host) {
            return (cell == null || cell.equals(host.spec().cell())) && (search.isEmpty() || host.name().contains(search));
        }
    }

    static HostsView of(ConsoleIndex index, Query query) {
        Iterable<Host> ordered = query.sort().equals("fill")
                ? index.hosts().stream().sorted((a, b) -> HostFill.fullestFirst(HostFill.of(a), HostFill.of(b))).toList()
                : index.hosts();
        Paged<Host> page = Paged.of(ordered, query, query.offset(), query.limit());
        int shown = page.items().size() == 1 ? Integer.MAX_VALUE : COMPUTES_SHOWN;
        List<HostCard> cards = page.items().stream().map(h -> {
            List<ComputeRow> computes = index.computesOnHost(h.name());
            return new HostCard(HostFill.of(h), h.spec().capacity(), h.status() == null ? null : h.status().lastHeartbeat(),
                    h.status() == null ? List.of() : h.status().conditions(),
                    computes.subList(0, Math.min(shown, computes.size())), computes.size());
        }).toList();
        return new HostsView(cards, page.total(), page.offset(), page.limit(),
                index.cells().stream().map(c -> c.name()).toList());
    }
}
