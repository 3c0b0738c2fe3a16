package io.tidepool.server.api;

import io.javalin.http.Context;
import io.tidepool.api.resource.Endpoint;
import io.tidepool.api.resource.Kind;
import io.tidepool.endpoint.ResumeRequest;
import io.tidepool.registry.ResourceRegistry;
import io.tidepool.registry.ResourceTxn;
import io.tidepool.store.TxnResult;
import java.time.InstantSource;

/**
 * {@code POST /api/v1/endpoints/NAME/resume}: asks placement to start a suspended endpoint again
 * (202, with the endpoint). Written with a compare on the endpoint's revision, so a controller's
 * write in between makes it read and ask again; asking twice is harmless. An endpoint that is not
 * suspended answers 409.
 */
final class ResumeRoute {
    private static final int ATTEMPTS = 5;

    private final ResourceRegistry registry;
    private final InstantSource clock;

    ResumeRoute(ResourceRegistry registry, InstantSource clock) {
        this.registry = registry;
        this.clock = clock;
    }

    void handle(Context ctx) {
        String name = ctx.pathParam("name");
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Endpoint live = registry.get(Endpoint.class, Kind.ENDPOINT, name)
                    .orElseThrow(() -> ApiError.notFound("Endpoint/" + name + " not found"));
            ResumeRequest.Outcome outcome = ResumeRequest.ask(live, clock.instant());
            if (outcome instanceof ResumeRequest.NotSuspended refused) {
                throw ApiError.conflict(refused.explanation());
            }
            if (outcome instanceof ResumeRequest.AlreadyRequested) {
                JsonBody.resource(ctx, live);
                ctx.status(202);
                return;
            }
            Endpoint next = ((ResumeRequest.Requested) outcome).next();
            TxnResult written = registry.store().txn(new ResourceTxn().update(live, next).toTxn());
            if (written.succeeded()) {
                JsonBody.resource(ctx, next.withMetadata(next.metadata().withRevisions(written.revision(),
                        live.metadata().createRevision())));
                ctx.status(202);
                return;
            }
        }
        throw ApiError.conflict("Endpoint/" + name + " kept changing while it was being resumed; try again");
    }
}
