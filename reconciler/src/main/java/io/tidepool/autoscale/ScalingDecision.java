package io.tidepool.autoscale;

import io.tidepool.api.quantity.Cu;
import java.util.Objects;

/**
 * What the autoscaler wants for one compute: grow it, shrink it or leave it, to which size, and why.
 *
 * @param explanation one line for {@code describe}, like "upscale 1 -> 2 CU: load1 1.7 > 0.9 x 1 vCPU"
 * @param reason      the same in one word, for a metrics label
 */
public record ScalingDecision(Direction direction, Cu from, Cu to, String explanation, Reason reason) {

    public enum Direction { UP, DOWN, HOLD }

    /** Why the decision is what it is; {@link #label()} is short, stable and fit for a metrics label. */
    public enum Reason {
        /** The goal was driven by load1. */
        CPU("cpu"),
        /** The goal was driven by the memory in use. */
        MEMORY("memory"),
        /** The goal was driven by the cache working set. */
        CACHE("cache"),
        /** The guest called for memory: its compute is about to run out. */
        PRESSURE("memory-pressure"),
        /** The granted size is outside [minCu, maxCu], as after the operator changed the bounds. */
        BOUNDS("bounds"),
        /** The host has not yet confirmed the granted size. */
        IN_FLIGHT("in-flight"),
        /** No metrics, or only stale ones: the size stays as it is. */
        STALE_METRICS("stale-metrics"),
        /** The size is the goal. */
        AT_GOAL("at-goal"),
        /** The goal is above the maximum and the size is the maximum. */
        AT_MAX("at-max"),
        /** The goal is lower, but this leader has not watched a whole window yet. */
        OBSERVING("observing"),
        /** The goal is lower, but the guest refused a downscale recently. */
        REFUSED_RECENTLY("refused-recently"),
        /** The goal is lower, but metrics had a gap in the window. */
        METRICS_GAP("metrics-gap"),
        /** The goal is lower, but a sample in the window asked for the current size or more. */
        STABILISING("stabilising"),
        /** The goal is higher, but the compute's host has no CU free to grant. */
        NO_ROOM("no-room"),
        /** The guest refused a downscale: the size it still runs with is put back. */
        DOWNSCALE_REFUSED("downscale-refused");

        private final String label;

        Reason(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        static Reason drivenBy(Goal.Dimension dimension) {
            return switch (dimension) {
                case CPU -> CPU;
                case MEMORY -> MEMORY;
                case CACHE -> CACHE;
            };
        }
    }

    public ScalingDecision {
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(explanation, "explanation");
        Objects.requireNonNull(reason, "reason");
        int change = to.compareTo(from);
        boolean consistent = switch (direction) {
            case UP -> change > 0;
            case DOWN -> change < 0;
            case HOLD -> change == 0;
        };
        if (!consistent) {
            throw new IllegalArgumentException(direction + " cannot go from " + from + " to " + to + " CU");
        }
    }

    static ScalingDecision up(Cu from, Cu to, Reason reason, String why) {
        return new ScalingDecision(Direction.UP, from, to, "upscale " + from + " -> " + to + " CU: " + why, reason);
    }

    static ScalingDecision down(Cu from, Cu to, Reason reason, String why) {
        return new ScalingDecision(Direction.DOWN, from, to, "downscale " + from + " -> " + to + " CU: " + why, reason);
    }

    static ScalingDecision hold(Cu at, Reason reason, String why) {
        return new ScalingDecision(Direction.HOLD, at, at, "hold at " + at + " CU: " + why, reason);
    }

    public boolean changes() {
        return direction != Direction.HOLD;
    }
}
