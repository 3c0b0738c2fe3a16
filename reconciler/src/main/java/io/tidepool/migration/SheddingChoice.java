package io.tidepool.migration;

import io.tidepool.api.quantity.Cu;
import java.util.List;
import java.util.Objects;

/**
 * Which computes an over-full host sheds, what that frees, and why.
 *
 * @param moves       the computes to move, by name
 * @param frees       the CU the host gets back once they have left
 * @param explanation one line for {@code describe}, like "host-7 at 58/64 CU, watermark 57.5: moving
 *                    shop-3 (2 GiB) frees 2 CU, the least memory to copy"
 */
public record SheddingChoice(List<MigrationCandidate> moves, Cu frees, Outcome outcome, String explanation) {

    public enum Outcome {
        /** The host is at or below its watermark: nothing to move. */
        AT_OR_BELOW_WATERMARK,
        /** The moves bring the host to or below its watermark. */
        REACHES_WATERMARK,
        /** More moves than allowed would be needed: the allowed ones free the most they can. */
        SHORT_BY_MOVE_LIMIT,
        /** Even all movable computes together do not free enough: they all move. */
        SHORT_OF_MOVABLE,
        /** Every compute is restarting, moving or not running. */
        NOTHING_MOVABLE,
        /** No move is allowed now. */
        NO_MOVES_ALLOWED
    }

    public SheddingChoice {
        moves = List.copyOf(moves);
        Objects.requireNonNull(frees, "frees");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(explanation, "explanation");
    }

    public boolean reachesWatermark() {
        return outcome == Outcome.AT_OR_BELOW_WATERMARK || outcome == Outcome.REACHES_WATERMARK;
    }

    /** The memory the moves copy in all. */
    public long memoryBytes() {
        return moves.stream().mapToLong(MigrationCandidate::memoryBytes).sum();
    }
}
