package io.tidepool.server.api;

import io.javalin.http.Context;
import io.tidepool.api.codec.ManifestCodec;
import io.tidepool.api.codec.ManifestDocument;
import io.tidepool.api.codec.ParsedManifests;
import io.tidepool.api.resource.Kind;
import io.tidepool.api.resource.Resource;
import io.tidepool.manifests.apply.ApplyOptions;
import io.tidepool.manifests.apply.ApplyRequest;
import io.tidepool.manifests.apply.ApplyResponse;
import io.tidepool.registry.ResourceKeys;
import io.tidepool.registry.ResourceRegistry;
import io.tidepool.server.apply.Deletion;
import io.tidepool.server.apply.ManifestApplier;
import io.tidepool.store.Compare;
import io.tidepool.store.Txn;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/** List, get, put and delete of one kind, and the apply of a whole manifest set. */
final class ResourceRoutes {
    private static final String BODY_SOURCE = "request body";
    /** Reads, checks and deletes of one object before a delete gives up on an object that keeps changing. */
    private static final int DELETE_ATTEMPTS = 5;

    private final ResourceRegistry registry;
    private final ManifestApplier applier;
    private final ManifestCodec codec;
    private final ReferenceGuard references;
    private final Consumer<String> applied;

    /** @param applied told what an apply did to each object (created, configured, ...), for metrics */
    ResourceRoutes(ResourceRegistry registry, ManifestApplier applier, ManifestCodec codec, Consumer<String> applied) {
        this.registry = registry;
        this.applier = applier;
        this.codec = codec;
        this.references = new ReferenceGuard(registry);
        this.applied = applied;
    }

    /** A page of the kind; with {@code ?host=NAME} (computes only) just that host's, so a page may hold fewer than the limit. */
    void list(Context ctx, Kind kind) {
        Optional<String> host = ComputesOnHost.requested(ctx, kind);
        int limit = ctx.queryParam("limit") == null ? 0 : parseLimit(ctx.queryParam("limit"));
        String startAfter = ctx.queryParam("continue") == null ? null : decodeContinue(ctx.queryParam("continue"));
        ResourceRegistry.Page page = registry.list(kind, startAfter, limit);
        String next = page.more() && !page.items().isEmpty()
                ? encodeContinue(page.items().get(page.items().size() - 1).name()) : null;
        List<Resource> items = host.isEmpty() ? page.items()
                : page.items().stream().filter(r -> ComputesOnHost.isOn(r, host.get())).toList();
        JsonBody.list(ctx, items, page.revision(), next);
    }

    void get(Context ctx) {
        Kind kind = kindOf(ctx);
        String name = ctx.pathParam("name");
        JsonBody.resource(ctx, registry.get(kind, name)
                .orElseThrow(() -> ApiError.notFound(kind.displayName() + "/" + name + " not found")));
    }

    /** Creates or replaces what a manifest owns of one object; its status stays as the system wrote it. */
    void put(Context ctx) {
        Kind kind = kindOf(ctx);
        String name = ctx.pathParam("name");
        if (!kind.declarable()) {
            throw new ApiError(405, kind.plural() + " are written by the system and cannot be put");
        }
        ParsedManifests parsed = codec.decode(BODY_SOURCE, ctx.body());
        if (!parsed.ok()) {
            JsonBody.write(ctx, 422, new ApplyResponse(0, false, List.of(), parsed.errors()));
            return;
        }
        if (parsed.documents().size() != 1) {
            throw ApiError.badRequest("expected exactly one object in the request body, got " + parsed.documents().size());
        }
        ManifestDocument document = parsed.documents().get(0);
        Resource resource = document.resource();
        if (resource.kind() != kind || !resource.name().equals(name)) {
            throw ApiError.badRequest("the body declares " + resource.ref() + " but the path names "
                    + kind.displayName() + "/" + name);
        }
        long expected = resource.metadata().resourceVersion();
        Map<String, Long> expectations = expected > 0 ? Map.of(resource.ref(), expected) : Map.of();
        ApplyResponse response = applier.apply(List.of(document), ApplyOptions.APPLY, expectations);
        if (!response.errors().isEmpty()) {
            JsonBody.write(ctx, 422, response);
            return;
        }
        boolean created = response.results().get(0).action().equals("created");
        Resource stored = registry.get(kind, name).orElseThrow(() -> ApiError.conflict(resource.ref() + " was deleted meanwhile"));
        JsonBody.resource(ctx, stored);
        ctx.status(created ? 201 : 200);
    }

    /**
     * Deletes what the check for references saw, no newer version of it: read, check and delete
     * again when something wrote it in between, such as a controller writing its status, which is
     * not the caller's concern. Only an object that keeps changing is refused.
     */
    void delete(Context ctx) {
        Kind kind = kindOf(ctx);
        String name = ctx.pathParam("name");
        String key = ResourceKeys.key(kind, name);
        for (int attempt = 1; ; attempt++) {
            Resource live = registry.get(kind, name)
                    .orElseThrow(() -> ApiError.notFound(kind.displayName() + "/" + name + " not found"));
            references.checkUnreferenced(live);
            boolean deleted = registry.store().txn(Txn.of(
                    List.of(Compare.modRevisionIs(key, live.metadata().resourceVersion())), Deletion.ops(registry.store(), live)))
                    .succeeded();
            if (deleted) {
                JsonBody.resource(ctx, live);
                return;
            }
            if (attempt == DELETE_ATTEMPTS) {
                throw ApiError.conflict(live.ref() + " changed " + DELETE_ATTEMPTS + " times while it was being deleted; try again");
            }
        }
    }

    void apply(Context ctx) {
        ApplyRequest request = ctx.bodyAsClass(ApplyRequest.class);
        ApplyOptions options;
        try {
            options = request.options();
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(e.getMessage());
        }
        ApplyResponse response = applier.apply(request.files(), options);
        if (!response.dryRun()) {
            response.results().forEach(result -> applied.accept(result.action()));
        }
        JsonBody.write(ctx, response.errors().isEmpty() ? 200 : 422, response);
    }

    static Kind kindOf(Context ctx) {
        String plural = ctx.pathParam("kind");
        return Kind.ofAnyName(plural)
                .filter(k -> k.plural().equals(plural))
                .orElseThrow(() -> ApiError.notFound("no such kind \"" + plural + "\": the API serves "
                        + String.join(", ", java.util.Arrays.stream(Kind.values()).map(Kind::plural).toList())));
    }

    private static int parseLimit(String text) {
        try {
            int limit = Integer.parseInt(text);
            if (limit < 0) {
                throw new NumberFormatException();
            }
            return limit;
        } catch (NumberFormatException e) {
            throw ApiError.badRequest("limit must be a number of objects, 0 or more, got \"" + text + "\"");
        }
    }

    // The continue token is opaque to clients, so the paging scheme can change without breaking them.
    private static String encodeContinue(String lastName) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(lastName.getBytes(StandardCharsets.UTF_8));
    }

    private static String decodeContinue(String token) {
        try {
            return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("invalid continue token \"" + token + "\": pass back the one a list returned");
        }
    }
}
