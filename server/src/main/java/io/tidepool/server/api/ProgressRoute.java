package io.tidepool.server.api;

import io.javalin.http.Context;
import io.tidepool.api.resource.Compute;
import io.tidepool.api.resource.Endpoint;
import io.tidepool.api.resource.Kind;
import io.tidepool.endpoint.Readiness;
import io.tidepool.manifests.apply.Progress;
import io.tidepool.registry.ResourceRegistry;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code POST /api/v1/progress}: for each endpoint named, whether the fleet has done what its spec
 * asks ({@link Readiness}); what {@code apply --wait} polls.
 */
final class ProgressRoute {
    /** One wait covers what one apply can write. */
    private static final int MAX_ENDPOINTS = 20_000;
    private final ResourceRegistry registry;
    private final InstantSource clock;

    ProgressRoute(ResourceRegistry registry, InstantSource clock) {
        this.registry = registry;
        this.clock = clock;
    }

    void handle(Context ctx) {
        Progress.Request request = ctx.bodyAsClass(Progress.Request.class);
        if (request.endpoints().size() + request.pruned().size() > MAX_ENDPOINTS) {
            throw ApiError.badRequest("at most " + MAX_ENDPOINTS + " endpoints per request");
        }
        long revision = registry.store().currentRevision();
        List<Progress.Item> items = new ArrayList<>();
        for (String name : request.endpoints()) {
            Endpoint endpoint = registry.get(Endpoint.class, Kind.ENDPOINT, name).orElse(null);
            Compute primary = endpoint == null || endpoint.status() == null || endpoint.status().compute() == null ? null
                    : registry.get(Compute.class, Kind.COMPUTE, endpoint.status().compute()).orElse(null);
            items.add(item(name, Readiness.of(endpoint, primary, clock.instant())));
        }
        for (String name : request.pruned()) {
            items.add(item(name, Readiness.ofPruned(registry.get(Endpoint.class, Kind.ENDPOINT, name).orElse(null))));
        }
        JsonBody.write(ctx, 200, new Progress(revision, items));
    }

    private static Progress.Item item(String name, Readiness.Verdict verdict) {
        return new Progress.Item(name, verdict.state().name(), verdict.state().settled(), verdict.message());
    }
}
