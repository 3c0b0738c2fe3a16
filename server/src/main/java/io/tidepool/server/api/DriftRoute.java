package io.tidepool.server.api;

import io.javalin.http.Context;
import io.tidepool.registry.ResourceRegistry;
import io.tidepool.server.apply.ApplySetDrift;

/** {@code GET /api/v1/applysets/NAME/drift}: which objects of the set differ from what it last applied. */
final class DriftRoute {
    private final ResourceRegistry registry;

    DriftRoute(ResourceRegistry registry) {
        this.registry = registry;
    }

    void handle(Context ctx) {
        String set = ctx.pathParam("name");
        JsonBody.write(ctx, 200, ApplySetDrift.check(registry, set)
                .orElseThrow(() -> ApiError.notFound("ApplySet/" + set + " not found")));
    }
}
