package io.tidepool.server.api;

import io.javalin.http.Context;
import io.tidepool.api.resource.Compute;
import io.tidepool.api.resource.Event;
import io.tidepool.api.resource.Kind;
import io.tidepool.api.resource.Resource;
import io.tidepool.autoscale.AutoscaleReconciler;
import io.tidepool.control.ControlLoop;
import io.tidepool.control.FleetCache;
import io.tidepool.manifests.describe.Description;
import io.tidepool.registry.ResourceRegistry;
import io.tidepool.store.Leadership;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code GET /api/v1/KIND/NAME/describe}: the object with what belongs to it, what happened to it
 * and, from the leader's memory, the autoscaler's latest decisions. Any node answers; a node that
 * does not lead says where those decisions are instead.
 */
final class DescribeRoute {
    static final int EVENTS_SHOWN = 20;
    private static final int RECENT_DECISIONS_SHOWN = 8;
    private static final Comparator<Event> NEWEST_FIRST = Comparator.comparing(
            (Event e) -> e.status() == null || e.status().lastTimestamp() == null ? Instant.MIN : e.status().lastTimestamp())
            .reversed();

    private final ResourceRegistry registry;
    private final Supplier<ControlLoop> leaderLoop;
    private final String nodeId;
    private final Leadership leadership;

    DescribeRoute(ResourceRegistry registry, Supplier<ControlLoop> leaderLoop, String nodeId) {
        this.registry = registry;
        this.leaderLoop = leaderLoop;
        this.nodeId = nodeId;
        this.leadership = registry.store().leadership();
    }

    void handle(Context ctx) {
        Kind kind = ResourceRoutes.kindOf(ctx);
        String name = ctx.pathParam("name");
        Resource object = registry.get(kind, name)
                .orElseThrow(() -> ApiError.notFound(kind.displayName() + "/" + name + " not found"));
        ControlLoop loop = leaderLoop.get();
        List<Compute> computes = computesOf(object, loop);
        Description description = new Description(object, List.copyOf(computes), eventsAbout(object),
                loop == null ? List.of() : latestDecisions(object, computes, loop.autoscaler()),
                loop == null ? notLeading() : null, loop == null ? List.of() : controllerNotes(object, loop),
                loop == null ? List.of() : recentDecisions(object, loop));
        JsonBody.write(ctx, 200, description);
    }

    /** An endpoint's computes, or those on a host; from the leader's cache when this node leads. */
    private List<Compute> computesOf(Resource object, ControlLoop loop) {
        String index = object.kind() == Kind.ENDPOINT ? FleetCache.BY_ENDPOINT
                : object.kind() == Kind.HOST ? FleetCache.BY_HOST : null;
        if (index == null) {
            return List.of();
        }
        List<Compute> computes = loop != null ? loop.cache().computes.byIndex(index, object.name())
                : registry.listAll(Kind.COMPUTE).stream().map(Compute.class::cast)
                        .filter(c -> object.name().equals(index.equals(FleetCache.BY_ENDPOINT) ? c.spec().endpoint() : c.spec().host()))
                        .toList();
        return computes.stream().sorted(Comparator.comparing(Compute::name)).toList();
    }

    /** An endpoint's (or a compute's endpoint's) last scaling changes, newest first, from the leader's timeline. */
    private static List<Description.RecentDecision> recentDecisions(Resource object, ControlLoop loop) {
        String endpoint = object instanceof Compute compute ? compute.spec().endpoint()
                : object.kind() == Kind.ENDPOINT ? object.name() : null;
        if (endpoint == null) {
            return List.of();
        }
        return loop.timelines().view(endpoint).map(view -> view.latestDecisions(RECENT_DECISIONS_SHOWN)).orElse(List.of())
                .stream().map(m -> new Description.RecentDecision(m.at(), m.fromCu(), m.toCu(), m.explanation())).toList();
    }

    private List<Resource> eventsAbout(Resource object) {
        return registry.listAll(Kind.EVENT).stream().map(Event.class::cast)
                .filter(e -> object.ref().equals(e.spec().involved()))
                .sorted(NEWEST_FIRST)
                .limit(EVENTS_SHOWN)
                .map(Resource.class::cast)
                .toList();
    }

    private static List<Description.LatestDecision> latestDecisions(Resource object, List<Compute> computes,
                                                                    AutoscaleReconciler autoscaler) {
        List<String> names = object.kind() == Kind.COMPUTE ? List.of(object.name())
                : object.kind() == Kind.ENDPOINT ? computes.stream().map(Compute::name).toList() : List.of();
        return names.stream()
                .flatMap(compute -> autoscaler.lastDecision(compute).stream().map(d -> new Description.LatestDecision(
                        compute, d.direction().name(), d.from(), d.to(), d.reason().label(), d.explanation())))
                .toList();
    }

    /** What the restart, migration and buffer controllers last said about this object. */
    private static List<Description.ControllerNote> controllerNotes(Resource object, ControlLoop loop) {
        List<Description.ControllerNote> notes = new ArrayList<>();
        if (object.kind() == Kind.ENDPOINT) {
            loop.restarter().lastDecision(object.name())
                    .ifPresent(d -> notes.add(new Description.ControllerNote("restart", d.explanation())));
        }
        if (object.kind() == Kind.CELL) {
            loop.migrator().lastPlan(object.name()).ifPresent(plan -> {
                plan.moves().forEach(m -> notes.add(new Description.ControllerNote("migration", m.explanation())));
                plan.overWatermark().forEach(o -> notes.add(new Description.ControllerNote("migration", o.explanation())));
            });
            loop.buffer().lastDecision(object.name())
                    .ifPresent(d -> notes.add(new Description.ControllerNote("buffer", d.explanation())));
        }
        return notes;
    }

    private String notLeading() {
        return "the autoscaler's latest decisions are kept in the leader's memory, and this node (" + nodeId
                + ") does not lead" + leadership.leaderId().map(id -> ": ask " + id).orElse("");
    }
}
