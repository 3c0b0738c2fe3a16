package io.tidepool.placement;

import io.tidepool.api.quantity.Cu;
import io.tidepool.capacity.HostRoom;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;

/**
 * The placement decision, pure: each request in turn goes to the schedulable host that ends
 * fullest while staying at or below its watermark (best fit, which keeps whole hosts free for big
 * computes and lets the pool give back empty ones); when no host has room below its watermark, to
 * the host with the most room left, since a compute over the watermark is moved later but one not
 * placed is an outage now. Never beyond a host's capacity. Each step is O(log hosts), so a cell of
 * thousands of hosts places a hundred thousand requests in well under a second.
 */
public final class BestFit {

    private BestFit() {
    }

    public static PlacementPlan plan(List<PlacementRequest> requests, Collection<HostRoom> hosts) {
        Rooms rooms = new Rooms(hosts);
        List<PlacementPlan.Assignment> assignments = new ArrayList<>();
        List<PlacementPlan.Unplaced> unplaced = new ArrayList<>();
        for (PlacementRequest request : requests) {
            HostRoom host = rooms.bestBelowWatermark(request.cu());
            PlacementPlan.Fit fit = PlacementPlan.Fit.BELOW_WATERMARK;
            if (host == null) {
                host = rooms.mostFree(request.cu());
                fit = PlacementPlan.Fit.ABOVE_WATERMARK;
            }
            if (host == null) {
                unplaced.add(new PlacementPlan.Unplaced(request.endpoint(), request.cu(), rooms.whyNot(request.cu())));
                continue;
            }
            rooms.allocate(host, request.cu());
            assignments.add(new PlacementPlan.Assignment(request.endpoint(), host.host(), request.cu(), fit));
        }
        return new PlacementPlan(assignments, unplaced, rooms.after());
    }

    /** The schedulable hosts, indexed by room below the watermark and by room overall. */
    private static final class Rooms {
        private record Key(long quarters, String host) implements Comparable<Key> {
            @Override
            public int compareTo(Key other) {
                int byRoom = Long.compare(quarters, other.quarters);
                return byRoom != 0 ? byRoom : host.compareTo(other.host);
            }
        }

        private final Map<String, HostRoom> byName = new LinkedHashMap<>();
        private final NavigableSet<Key> belowWatermark = new TreeSet<>();
        private final NavigableSet<Key> free = new TreeSet<>();
        private final int unschedulable;

        Rooms(Collection<HostRoom> hosts) {
            int skipped = 0;
            for (HostRoom host : hosts) {
                byName.put(host.host(), host);
                if (host.schedulable()) {
                    index(host);
                } else {
                    skipped++;
                }
            }
            unschedulable = skipped;
        }

        HostRoom bestBelowWatermark(Cu cu) {
            Key key = belowWatermark.ceiling(new Key(cu.quarters(), ""));
            return key == null ? null : byName.get(key.host());
        }

        HostRoom mostFree(Cu cu) {
            if (free.isEmpty() || free.last().quarters() < cu.quarters()) {
                return null;
            }
            // Of the hosts with the most room, the first by name: deterministic.
            long most = free.last().quarters();
            return byName.get(free.ceiling(new Key(most, "")).host());
        }

        void allocate(HostRoom host, Cu cu) {
            unindex(host);
            HostRoom after = host.withAllocated(host.allocated().plus(cu));
            byName.put(after.host(), after);
            index(after);
        }

        String whyNot(Cu cu) {
            if (free.isEmpty()) {
                return "no schedulable host in the cell" + (unschedulable > 0
                        ? " (" + unschedulable + " hosts are not ready or unschedulable)" : "");
            }
            Key most = free.last();
            return "no host has " + cu + " CU free (the most is " + Cu.ofQuarters(most.quarters()) + " CU, on "
                    + most.host() + ")";
        }

        Map<String, HostRoom> after() {
            return byName;
        }

        private void index(HostRoom host) {
            belowWatermark.add(new Key(host.freeBelowWatermark().quarters(), host.host()));
            free.add(new Key(host.free().quarters(), host.host()));
        }

        private void unindex(HostRoom host) {
            belowWatermark.remove(new Key(host.freeBelowWatermark().quarters(), host.host()));
            free.remove(new Key(host.free().quarters(), host.host()));
        }
    }
}
