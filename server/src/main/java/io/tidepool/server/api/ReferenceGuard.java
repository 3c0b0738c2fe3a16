package io.tidepool.server.api;

import io.tidepool.api.resource.Kind;
import io.tidepool.api.resource.Resource;
import io.tidepool.registry.ResourceRegistry;
import io.tidepool.server.apply.CellUsers;
import java.util.List;

/** Refuses to delete a cell that hosts or endpoints still belong to, which would leave them orphaned. */
final class ReferenceGuard {
    private final ResourceRegistry registry;

    ReferenceGuard(ResourceRegistry registry) {
        this.registry = registry;
    }

    void checkUnreferenced(Resource resource) {
        if (resource.kind() != Kind.CELL) {
            return;
        }
        List<String> users = CellUsers.of(registry, resource.name());
        if (!users.isEmpty()) {
            throw ApiError.conflict(resource.ref() + " still has " + users.size() + " hosts or endpoints ("
                    + CellUsers.shortList(users) + "): delete or move them first");
        }
    }
}
