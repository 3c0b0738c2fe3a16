package io.tidepool.timeline;

import java.util.List;

/**
 * One endpoint's timeline as a chart draws it: columns of equal length, oldest first, one entry per
 * bucket of {@code stepSeconds}; null where a bucket has no value. {@code markers} are in time order.
 *
 * @param time            each bucket's start, in epoch seconds
 * @param cu              the CU allocated to the endpoint's primary (the largest in the bucket)
 * @param load1           the one-minute load, in vCPUs (1 CU is 1 vCPU)
 * @param memoryUsedBytes memory in use, not counting reclaimable cache (1 CU is 4 GiB)
 */
public record TimelineView(String endpoint, long stepSeconds, long[] time, Double[] cu, Double[] load1,
                           Long[] memoryUsedBytes, List<Marker> markers) {

    public static TimelineView empty(String endpoint, long stepSeconds) {
        return new TimelineView(endpoint, stepSeconds, new long[0], new Double[0], new Double[0], new Long[0], List.of());
    }

    /** The scaling decisions among the markers, newest first, at most {@code limit}. */
    public List<Marker> latestDecisions(int limit) {
        List<Marker> decisions = markers.stream().filter(m -> m.type() == Marker.Type.scaling).toList();
        int from = Math.max(0, decisions.size() - limit);
        List<Marker> newestFirst = new java.util.ArrayList<>(decisions.subList(from, decisions.size()));
        java.util.Collections.reverse(newestFirst);
        return newestFirst;
    }
}
