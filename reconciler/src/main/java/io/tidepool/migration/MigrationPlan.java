package io.tidepool.migration;

import io.tidepool.api.quantity.Cu;
import java.util.List;

/** The migrations to start in a cell now, and the hosts that stay above their watermark and why. */
public record MigrationPlan(List<Move> moves, List<OverWatermark> overWatermark) {

    public MigrationPlan {
        moves = List.copyOf(moves);
        overWatermark = List.copyOf(overWatermark);
    }

    /** Move {@code compute} of {@code endpoint}, holding {@code cu}, from {@code source} to {@code target}. */
    public record Move(String compute, String endpoint, String source, String target, Cu cu, String explanation) {
    }

    public enum Reason {
        /** The host's or the cell's migration slots are all in use. */
        NO_SLOTS,
        /** No other host can take a compute and stay at or below its watermark. */
        NO_TARGET,
        /** Every compute on the host is restarting, moving or not running. */
        NOTHING_MOVABLE,
        /** Its movable computes together do not free enough. */
        TOO_LITTLE_MOVABLE
    }

    /** A host that will still be above its watermark once the planned moves finish. */
    public record OverWatermark(String host, Reason reason, String explanation) {
    }
}
