package io.tidepool.manifests.describe;

import io.tidepool.api.quantity.Cu;
import io.tidepool.api.resource.Resource;
import java.time.Instant;
import java.util.List;

/**
 * What {@code tidepool describe} shows of one object, as the server sends it: the object, the
 * computes that belong to it (an endpoint's, or those on a host), the events about it, and the
 * autoscaler's latest decisions, holds included, and the other controllers' latest explanations,
 * which only the leader knows (soft state).
 *
 * @param scalingNote why the latest decisions are missing (the node asked does not lead); null when they are not
 */
public record Description(Resource object, List<Resource> computes, List<Resource> events,
                          List<LatestDecision> latestDecisions, String scalingNote, List<ControllerNote> controllers,
                          List<RecentDecision> recentDecisions) {

    public Description {
        computes = computes == null ? List.of() : List.copyOf(computes);
        events = events == null ? List.of() : List.copyOf(events);
        latestDecisions = latestDecisions == null ? List.of() : List.copyOf(latestDecisions);
        controllers = controllers == null ? List.of() : List.copyOf(controllers);
        recentDecisions = recentDecisions == null ? List.of() : List.copyOf(recentDecisions);
    }

    /**
     * One of the endpoint's last scaling changes in this term of leadership, newest first, with the
     * autoscaler's explanation (the leader's timeline keeps the last few).
     */
    public record RecentDecision(Instant at, Cu fromCu, Cu toCu, String explanation) {
    }

    /**
     * The latest explanation of another controller about this object, also soft state of the
     * leader: the planned restart of an endpoint, the migration plan and the pool buffer of a cell.
     */
    public record ControllerNote(String controller, String explanation) {
    }

    /**
     * The autoscaler's latest decision about one compute, as it made it: a change it wrote, or why
     * it holds. Only changes are stored (in the endpoint's {@code status.lastDecision}).
     *
     * @param direction UP, DOWN or HOLD
     * @param reason    the decision in one word, like {@code cpu} or {@code stabilising}
     */
    public record LatestDecision(String compute, String direction, Cu fromCu, Cu toCu, String reason,
                                 String explanation) {
    }
}
