package io.tidepool.server.console;

import io.tidepool.api.resource.Endpoint;
import java.util.Arrays;
import java.util.List;

/** The endpoints page: one page of endpoints that match the search and filters, and what may be filtered on. */
public record EndpointsView(List<EndpointRow> items, int total, int offset, int limit, List<String> cells,
                            List<String> phases) {

    static EndpointsView of(ConsoleIndex index, EndpointQuery query) {
        Paged<EndpointRow> page = query.page(index.endpoints().values());
        return new EndpointsView(page.items(), page.total(), page.offset(), page.limit(),
                index.cells().stream().map(c -> c.name()).toList(),
                Arrays.stream(Endpoint.Phase.values()).map(Enum::name).toList());
    }
}
