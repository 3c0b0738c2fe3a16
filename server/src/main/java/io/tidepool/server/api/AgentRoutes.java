package io.tidepool.server.api;

import io.javalin.http.Context;
import io.tidepool.api.agent.ComputeMetrics;
import io.tidepool.api.agent.Heartbeat;
import io.tidepool.api.agent.UpscaleRequest;
import io.tidepool.api.codec.ManifestDocument;
import io.tidepool.api.codec.ManifestError;
import io.tidepool.api.codec.ResourceJson;
import io.tidepool.api.resource.Cell;
import io.tidepool.api.resource.Compute;
import io.tidepool.api.resource.Host;
import io.tidepool.api.resource.Kind;
import io.tidepool.api.resource.ObjectMeta;
import io.tidepool.api.resource.Resource;
import io.tidepool.api.validation.ManifestValidator;
import io.tidepool.control.ControlLoop;
import io.tidepool.registry.ResourceRegistry;
import io.tidepool.registry.ResourceTxn;
import io.tidepool.store.TxnResult;
import io.tidepool.telemetry.Telemetry;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What host agents call, the REST form of {@code io.tidepool.agent.ControlPlaneLink}: register
 * their host, report what they observe of their computes, heartbeat with metrics, and pass on a
 * guest's call for memory. Heartbeats and upscale requests are soft state for the leader's
 * controllers and never touch the store; a node that does not lead answers 503 naming the leader.
 */
final class AgentRoutes {
    private static final int REPORT_ATTEMPTS = 5;
    private static final String BODY = "request body";

    private final ResourceRegistry registry;
    private final Supplier<ControlLoop> leaderLoop;
    private final String nodeId;
    private final InstantSource clock;

    AgentRoutes(ResourceRegistry registry, Supplier<ControlLoop> leaderLoop, String nodeId, InstantSource clock) {
        this.registry = registry;
        this.leaderLoop = leaderLoop;
        this.nodeId = nodeId;
        this.clock = clock;
    }

    /** {@code POST /api/v1/hosts/NAME/register}: creates the host (201); one that exists keeps its spec (200). */
    void register(Context ctx) {
        String name = ctx.pathParam("name");
        Host host = ResourceJson.decode(ctx.bodyAsBytes(), Host.class);
        if (host == null) {
            throw ApiError.badRequest("expected a Host object in the request body, got null");
        }
        if (host.metadata() == null || !name.equals(host.name())) {
            throw ApiError.badRequest("metadata.name: the body declares host " + (host.metadata() == null ? null : host.name())
                    + " but the path names " + name);
        }
        Optional<Resource> existing = registry.get(Kind.HOST, name);
        if (existing.isPresent()) {
            JsonBody.resource(ctx, existing.get());
            return;
        }
        Host fresh = new Host(new ObjectMeta(name, host.metadata().labels(), host.metadata().annotations(), 0, 0,
                clock.instant()), host.spec(), null);
        checkDeclarable(fresh);
        TxnResult created = registry.store().txn(new ResourceTxn().create(fresh).toTxn());
        if (!created.succeeded()) {
            // Registered by a retry of this call meanwhile: the first one won.
            JsonBody.resource(ctx, registry.get(Kind.HOST, name).orElseThrow(() ->
                    ApiError.conflict("Host/" + name + " was created and deleted meanwhile; try again")));
            return;
        }
        JsonBody.resource(ctx, fresh.withMetadata(fresh.metadata().withRevisions(created.revision(), created.revision())));
        ctx.status(201);
    }

    private void checkDeclarable(Host host) {
        String cell = host.spec() == null ? null : host.spec().cell();
        Map<String, Cell> cells = cell == null ? Map.of()
                : registry.get(Cell.class, Kind.CELL, cell).map(c -> Map.of(c.name(), c)).orElse(Map.of());
        List<ManifestError> errors = new ManifestValidator().validate(List.of(ManifestDocument.unlocated(host, BODY)), cells);
        if (!errors.isEmpty()) {
            ManifestError first = errors.get(0);
            throw ApiError.badRequest(first.field() + ": " + first.message());
        }
    }

    /**
     * {@code PUT /api/v1/computes/NAME/status}: writes what the agent observes, never the spec,
     * with a compare on the compute's revision (read again on a lost compare). 404 when the
     * compute is gone: its agent then stops it.
     */
    void status(Context ctx) {
        String name = ctx.pathParam("name");
        Compute.Status status = body(ctx, Compute.Status.class);
        if (status.phase() == null) {
            throw ApiError.badRequest("phase: a compute's status needs its phase");
        }
        for (int attempt = 0; attempt < REPORT_ATTEMPTS; attempt++) {
            Compute live = registry.get(Compute.class, Kind.COMPUTE, name)
                    .orElseThrow(() -> ApiError.notFound("Compute/" + name + " not found: it was deleted"));
            BearerAuth.requireOnHost(ctx, live.spec().host(), "report the status of Compute/" + name);
            if (Objects.equals(live.status(), status)) {
                JsonBody.resource(ctx, live);
                return;
            }
            Compute next = live.withStatus(status);
            TxnResult written = registry.store().txn(new ResourceTxn().update(live, next).toTxn());
            if (written.succeeded()) {
                JsonBody.resource(ctx, next.withMetadata(next.metadata().withRevisions(written.revision(),
                        live.metadata().createRevision())));
                return;
            }
        }
        throw ApiError.conflict("Compute/" + name + " kept changing while its status was being written; try again");
    }

    /**
     * {@code POST /api/v1/hosts/NAME/heartbeat}: the host is alive; each sample is recorded for its
     * compute if the leader knows that compute to be on this host (a moved one's is stale).
     */
    void heartbeat(Context ctx) {
        String host = ctx.pathParam("name");
        Heartbeat heartbeat = body(ctx, Heartbeat.class);
        ControlLoop loop = leader();
        Telemetry telemetry = loop.telemetry();
        telemetry.heartbeat(host, heartbeat.at());
        int recorded = 0;
        for (Map.Entry<String, ComputeMetrics> sample : heartbeat.metrics().entrySet()) {
            Optional<Compute> compute = loop.cache().computes.get(sample.getKey()).filter(c -> host.equals(c.spec().host()));
            if (compute.isPresent()) {
                telemetry.record(sample.getKey(), compute.get().spec().endpoint(), sample.getValue());
                recorded++;
            }
        }
        JsonBody.write(ctx, 200, Map.of("recorded", recorded, "ignored", heartbeat.metrics().size() - recorded));
    }

    /**
     * {@code POST /api/v1/computes/NAME/upscale-request}: a guest's call for memory, to the
     * autoscaler at once (202). On the path from memory pressure to a larger limit, so it reads
     * the compute from the leader's cache, and the store only for one the cache has not seen yet.
     */
    void upscaleRequest(Context ctx) {
        String name = ctx.pathParam("name");
        UpscaleRequest request = body(ctx, UpscaleRequest.class);
        ControlLoop loop = leader();
        Compute compute = loop.cache().computes.get(name)
                .or(() -> registry.get(Compute.class, Kind.COMPUTE, name))
                .orElseThrow(() -> ApiError.notFound("Compute/" + name + " not found"));
        BearerAuth.requireOnHost(ctx, compute.spec().host(), "ask memory for Compute/" + name);
        loop.telemetry().upscaleRequested(name, request);
        ctx.status(202);
    }

    /** @throws IllegalArgumentException (400) naming the field that is wrong */
    private static <T> T body(Context ctx, Class<T> type) {
        T value = ResourceJson.decodeMessage(ctx.bodyAsBytes(), type);
        if (value == null) {
            throw ApiError.badRequest("expected a " + type.getSimpleName() + " object in the request body, got null");
        }
        return value;
    }

    private ControlLoop leader() {
        ControlLoop loop = leaderLoop.get();
        if (loop != null) {
            return loop;
        }
        Optional<String> leader = registry.store().leadership().leaderId().filter(id -> !id.equals(nodeId));
        throw new ApiError(503, leader
                .map(id -> "node " + nodeId + " does not lead the control plane; node " + id
                        + " does: send heartbeats and upscale requests to it")
                .orElse("node " + nodeId + " has no leader's controllers running yet; try again in a moment"));
    }
}
