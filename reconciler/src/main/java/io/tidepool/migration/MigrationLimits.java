package io.tidepool.migration;

/**
 * How many migrations may copy at once: each one loads its source's network and memory bandwidth,
 * so a host and a cell each have a cap (KubeVirt's defaults are 2 outbound per node, 5 per cluster).
 *
 * @param perHost migrations leaving one host at once
 * @param perCell migrations in the whole cell at once
 */
public record MigrationLimits(int perHost, int perCell) {
    public MigrationLimits {
        if (perHost < 0 || perCell < 0) {
            throw new IllegalArgumentException("migration limits cannot be negative: per host " + perHost + ", per cell " + perCell);
        }
    }
}
