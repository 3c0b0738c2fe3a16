package io.tidepool.server.api;

import io.javalin.http.Context;
import io.tidepool.api.codec.ManifestCodec;
import io.tidepool.api.codec.ManifestDocument;
import io.tidepool.api.resource.Resource;
import io.tidepool.forecast.Forecast;
import io.tidepool.manifests.apply.ApplyOptions;
import io.tidepool.manifests.apply.ApplyRequest;
import io.tidepool.manifests.apply.ApplyResponse;
import io.tidepool.manifests.apply.PlanResponse;
import io.tidepool.registry.ResourceRegistry;
import io.tidepool.server.apply.ForecastInputs;
import io.tidepool.server.apply.ManifestApplier;
import java.time.InstantSource;
import java.util.List;

/**
 * {@code POST /api/v1/plan}: a dry run of the apply, and then the {@link Forecast} of what the
 * fleet would do about it. Writes nothing.
 */
final class PlanRoute {
    private final ManifestApplier applier;
    private final ManifestCodec codec;
    private final ForecastInputs inputs;
    private final InstantSource clock;

    PlanRoute(ResourceRegistry registry, ManifestApplier applier, ManifestCodec codec, InstantSource clock) {
        this.applier = applier;
        this.codec = codec;
        this.inputs = new ForecastInputs(registry);
        this.clock = clock;
    }

    void handle(Context ctx) {
        ApplyRequest request = ctx.bodyAsClass(ApplyRequest.class);
        ApplyOptions asked;
        try {
            asked = request.options();
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(e.getMessage());
        }
        ApplyOptions dryRun = new ApplyOptions(true, asked.set(), asked.prune(), asked.allowEmpty(), asked.expectRevision(),
                asked.source());
        ApplyResponse changes = applier.apply(request.files(), dryRun);
        if (!changes.errors().isEmpty()) {
            JsonBody.write(ctx, 422, new PlanResponse(changes, List.of(), List.of(), false));
            return;
        }
        List<Resource> declared = request.files().stream()
                .flatMap(f -> codec.decode(f.source(), f.text()).documents().stream())
                .map(ManifestDocument::resource).toList();
        Forecast.Result forecast = Forecast.of(inputs.read(declared, changes), clock.instant());
        JsonBody.write(ctx, 200, new PlanResponse(changes,
                forecast.endpoints().stream().map(e -> new PlanResponse.EndpointLine(e.endpoint(), e.explanation(), e.fits())).toList(),
                forecast.cells().stream().map(c -> new PlanResponse.CellLine(c.cell(), c.hosts(), c.capacity(), c.allocatedBefore(),
                        c.allocatedAfter(), c.spare(), c.bufferTarget(), c.provisioned(), c.fits(), c.explanation())).toList(),
                forecast.fits()));
    }
}
