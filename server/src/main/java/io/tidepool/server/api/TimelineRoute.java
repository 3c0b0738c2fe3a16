package io.tidepool.server.api;

import io.javalin.http.Context;
import io.tidepool.api.resource.Kind;
import io.tidepool.control.ControlLoop;
import io.tidepool.registry.ResourceRegistry;
import io.tidepool.store.Leadership;
import io.tidepool.timeline.Marker;
import io.tidepool.timeline.TimelineView;
import io.tidepool.timeline.Timelines;
import java.util.function.Supplier;

/**
 * {@code GET /api/v1/endpoints/NAME/timeline[?decisions=N]}: the endpoint's last hour of allocated
 * CU, load and memory as columns, what happened to it (markers, each with its explanation), and its
 * latest N scaling decisions, newest first. Timelines live in the leader's memory: any node answers,
 * and one that does not lead sends empty columns with a note naming the leader, as describe does.
 */
final class TimelineRoute {
    static final int DEFAULT_DECISIONS = 10;
    static final int MAX_DECISIONS = 100;

    private final ResourceRegistry registry;
    private final Supplier<ControlLoop> leaderLoop;
    private final String nodeId;
    private final Leadership leadership;

    TimelineRoute(ResourceRegistry registry, Supplier<ControlLoop> leaderLoop, String nodeId) {
        this.registry = registry;
        this.leaderLoop = leaderLoop;
        this.nodeId = nodeId;
        this.leadership = registry.store().leadership();
    }

    void handle(Context ctx) {
        String name = ctx.pathParam("name");
        int decisions = decisionsWanted(ctx.queryParam("decisions"));
        if (registry.get(Kind.ENDPOINT, name).isEmpty()) {
            throw ApiError.notFound("Endpoint/" + name + " not found");
        }
        JsonBody.write(ctx, 200, answer(name, decisions));
    }

    /** The answer for one endpoint, from the leader's memory, or empty with a note on another node. */
    Answer answer(String endpoint, int decisions) {
        ControlLoop loop = leaderLoop.get();
        long step = Timelines.Settings.DEFAULT.step().toSeconds();
        if (loop == null) {
            return Answer.of(TimelineView.empty(endpoint, step), decisions, nodeId, notLeading());
        }
        TimelineView view = loop.timelines().view(endpoint).orElse(TimelineView.empty(endpoint, loop.timelines().settings().step().toSeconds()));
        return Answer.of(view, decisions, nodeId, null);
    }

    private String notLeading() {
        return "timelines are kept in the leader's memory, and this node (" + nodeId + ") does not lead"
                + leadership.leaderId().map(id -> ": ask " + id).orElse(": no leader is known now");
    }

    static int decisionsWanted(String text) {
        if (text == null) {
            return DEFAULT_DECISIONS;
        }
        try {
            int n = Integer.parseInt(text.trim());
            if (n < 0 || n > MAX_DECISIONS) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw ApiError.badRequest("decisions must be a number from 0 to " + MAX_DECISIONS + ", got \"" + text + "\"");
        }
    }

    /**
     * @param time      each bucket's start, epoch seconds
     * @param decisions the latest scaling decisions, newest first
     * @param note      set when this node does not lead and so has no timelines
     */
    // Arrays rather than lists: the shared mapper leaves empty lists out, and a chart wants every column.
    record Answer(String endpoint, String node, long stepSeconds, long[] time, Double[] cu, Double[] load1,
                  Long[] memoryUsedBytes, Marker[] markers, Marker[] decisions, String note) {
        static Answer of(TimelineView view, int decisions, String node, String note) {
            return new Answer(view.endpoint(), node, view.stepSeconds(), view.time(), view.cu(), view.load1(),
                    view.memoryUsedBytes(), view.markers().toArray(Marker[]::new),
                    view.latestDecisions(decisions).toArray(Marker[]::new), note);
        }
    }
}
