package io.tidepool.server.api;

import io.javalin.http.Context;
import io.tidepool.endpoint.Resume;
import io.tidepool.registry.ResourceRegistry;
import java.time.InstantSource;

/**
 * {@code POST /api/v1/endpoints/NAME/resume}: asks placement to start a suspended endpoint again
 * (202, with the endpoint), through {@link Resume}. An endpoint that is not suspended answers 409.
 */
final class ResumeRoute {
    private final ResourceRegistry registry;
    private final InstantSource clock;

    ResumeRoute(ResourceRegistry registry, InstantSource clock) {
        this.registry = registry;
        this.clock = clock;
    }

    void handle(Context ctx) {
        String name = ctx.pathParam("name");
        try {
            JsonBody.resource(ctx, Resume.ask(registry, name, clock.instant()));
            ctx.status(202);
        } catch (Resume.RefusedException e) {
            throw e.missing() ? ApiError.notFound(e.getMessage()) : ApiError.conflict(e.getMessage());
        }
    }
}
