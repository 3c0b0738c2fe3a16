package io.tidepool.api.agent;

import java.time.Instant;

/**
 * One sample of what a compute uses, as its guest agent measures it in the compute's cgroup and
 * its host agent reports it. The autoscaler sizes computes from these and nothing else.
 *
 * @param at                    when the sample was taken
 * @param load1                 the one-minute load average: runnable tasks, in vCPUs
 * @param memoryUsedBytes       memory in use, not counting the reclaimable page cache
 * @param cacheWorkingSetBytes  the page cache the compute keeps using (active file pages)
 */
public record ComputeMetrics(Instant at, double load1, long memoryUsedBytes, long cacheWorkingSetBytes) {
    public ComputeMetrics {
        if (at == null) {
            throw new IllegalArgumentException("a metrics sample needs the time it was taken");
        }
        if (!(load1 >= 0) || memoryUsedBytes < 0 || cacheWorkingSetBytes < 0) {
            throw new IllegalArgumentException("metrics cannot be negative: load1 " + load1 + ", memory "
                    + memoryUsedBytes + ", cache " + cacheWorkingSetBytes);
        }
    }
}
