package io.tidepool.migration;

import io.tidepool.api.quantity.Bytes;
import io.tidepool.api.quantity.Cu;
import java.util.Objects;

/**
 * A compute on an over-full host, as the shedding decision weighs it: what leaving frees and what
 * the move costs. A live migration copies the compute's memory, so memory is the cost.
 *
 * @param holds       the CU it holds in the host's ledger, which the host gets back once it leaves
 * @param memoryBytes the memory a move must copy: its measured use, or its CU's memory when unknown
 * @param movable     false when it is restarting, already moving, or not running
 */
public record MigrationCandidate(String compute, String endpoint, Cu holds, long memoryBytes, boolean movable) {

    public MigrationCandidate {
        Objects.requireNonNull(compute, "compute");
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(holds, "holds");
        if (memoryBytes < 0) {
            throw new IllegalArgumentException("memory to copy cannot be negative: " + memoryBytes + " bytes");
        }
    }

    /** A candidate whose cost is its measured memory use, or all of its CU's memory when none was measured. */
    public static MigrationCandidate of(String compute, String endpoint, Cu holds, Bytes measuredUse, boolean movable) {
        Bytes memory = measuredUse != null ? measuredUse : holds.memory();
        return new MigrationCandidate(compute, endpoint, holds, memory.value(), movable);
    }

    /** Only a running compute that is neither restarting nor already moving can be moved. */
    public static boolean movable(boolean running, boolean restarting, boolean moving) {
        return running && !restarting && !moving;
    }
}
