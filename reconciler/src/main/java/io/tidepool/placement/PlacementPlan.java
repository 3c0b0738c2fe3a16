package io.tidepool.placement;

import io.tidepool.api.quantity.Cu;
import io.tidepool.capacity.HostRoom;
import java.util.List;
import java.util.Map;

/**
 * Where each request goes, which requests fit nowhere and why, and the hosts as they will be once
 * the plan is carried out.
 */
public record PlacementPlan(List<Assignment> assignments, List<Unplaced> unplaced, Map<String, HostRoom> hostsAfter) {

    public enum Fit {
        /** The host ends fullest of those that stay at or below their watermark. */
        BELOW_WATERMARK,
        /** No host had room below its watermark; this one had the most room left. */
        ABOVE_WATERMARK
    }

    public record Assignment(String endpoint, String host, Cu cu, Fit fit) {
        public String explanation() {
            return "placed " + cu + " CU on " + host + (fit == Fit.BELOW_WATERMARK
                    ? ": the best fit below its watermark"
                    : ": no host had room below its watermark, " + host + " had the most room left");
        }
    }

    public record Unplaced(String endpoint, Cu cu, String reason) {
    }
}
