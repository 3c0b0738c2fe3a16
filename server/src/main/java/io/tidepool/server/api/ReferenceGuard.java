package io.tidepool.server.api;

import io.tidepool.api.resource.Endpoint;
import io.tidepool.api.resource.Host;
import io.tidepool.api.resource.Kind;
import io.tidepool.api.resource.Resource;
import io.tidepool.registry.ResourceRegistry;
import java.util.List;
import java.util.stream.Stream;

/** Refuses to delete a cell that hosts or endpoints still belong to, which would leave them orphaned. */
final class ReferenceGuard {
    private static final int NAMES_SHOWN = 5;
    private final ResourceRegistry registry;

    ReferenceGuard(ResourceRegistry registry) {
        this.registry = registry;
    }

    void checkUnreferenced(Resource resource) {
        if (resource.kind() != Kind.CELL) {
            return;
        }
        String cell = resource.name();
        List<String> users = Stream.concat(
                        registry.listAll(Kind.HOST).stream().filter(h -> cell.equals(((Host) h).spec().cell())),
                        registry.listAll(Kind.ENDPOINT).stream().filter(e -> cell.equals(((Endpoint) e).spec().cell())))
                .map(Resource::ref)
                .toList();
        if (!users.isEmpty()) {
            String shown = String.join(", ", users.subList(0, Math.min(NAMES_SHOWN, users.size())))
                    + (users.size() > NAMES_SHOWN ? " and " + (users.size() - NAMES_SHOWN) + " more" : "");
            throw ApiError.conflict(resource.ref() + " still has " + users.size() + " hosts or endpoints (" + shown
                    + "): delete or move them first");
        }
    }
}
