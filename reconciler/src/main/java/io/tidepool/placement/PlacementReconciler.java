package io.tidepool.placement;

import io.tidepool.api.resource.Cell;
import io.tidepool.api.resource.Compute;
import io.tidepool.api.resource.Condition;
import io.tidepool.api.resource.Endpoint;
import io.tidepool.api.resource.Host;
import io.tidepool.capacity.HostCapacity;
import io.tidepool.capacity.HostRoom;
import io.tidepool.control.Conditions;
import io.tidepool.control.FleetCache;
import io.tidepool.reconcile.Reconciler;
import io.tidepool.reconcile.Result;
import io.tidepool.store.Store;
import io.tidepool.switchover.Switchover;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Places the endpoints of one cell (the key) that need a compute: decides with {@link BestFit} over
 * the cached hosts, then has {@link PlacementWriter} write, per host, the computes with the host's
 * raised ledger in one transaction that compares both. A failed compare is a lost race with another
 * writer: the cell is looked at again once the cache has caught up.
 *
 * <p>It looks only at the endpoints {@link PendingEndpoints} says wait, at most
 * {@link #ENDPOINTS_PER_RECONCILE} of them per pass, and comes back at once for the rest; it never
 * decides from a cache that does not yet hold its own last write, which would only lose compares.
 */
public final class PlacementReconciler implements Reconciler<String>, AutoCloseable {
    /**
     * Endpoints placed in one pass: bounds the changes one pass writes (two objects per endpoint)
     * well below what a watch buffers, and lets other controllers in between on a big fleet.
     */
    static final int ENDPOINTS_PER_RECONCILE = 10_000;
    private static final Duration RETRY_AFTER_CONFLICT = Duration.ofMillis(50);
    private static final Duration WAIT_FOR_CACHE = Duration.ofMillis(10);

    private final FleetCache cache;
    private final PendingEndpoints pendingEndpoints;
    private final PlacementWriter writer;
    private final InstantSource clock;
    private final int endpointsPerPass;

    public PlacementReconciler(FleetCache cache, PendingEndpoints pendingEndpoints, Store store, InstantSource clock) {
        this(cache, pendingEndpoints, store, clock, ENDPOINTS_PER_RECONCILE);
    }

    /** @param endpointsPerPass at most this many endpoints are placed by one reconcile */
    PlacementReconciler(FleetCache cache, PendingEndpoints pendingEndpoints, Store store, InstantSource clock,
                        int endpointsPerPass) {
        this.cache = cache;
        this.pendingEndpoints = pendingEndpoints;
        this.writer = new PlacementWriter(store,
                endpoint -> Switchover.nextEpoch(endpoint, cache.computes.byIndex(FleetCache.BY_ENDPOINT, endpoint.name())));
        this.clock = clock;
        this.endpointsPerPass = endpointsPerPass;
    }

    @Override
    public Result reconcile(String cellName) throws InterruptedException {
        Cell cell = cache.cells.get(cellName).orElse(null);
        if (cell == null) {
            return Result.done();
        }
        if (cache.revision() < writer.lastWrittenRevision()) {
            return Result.after(WAIT_FOR_CACHE);
        }
        Batch batch = nextBatch(cellName);
        List<Endpoint> pending = batch.endpoints();
        if (pending.isEmpty()) {
            return Result.done();
        }
        Map<String, Host> hosts = new LinkedHashMap<>();
        List<HostRoom> rooms = new ArrayList<>();
        for (Host host : cache.hosts.byIndex(FleetCache.BY_CELL, cellName)) {
            hosts.put(host.name(), host);
            rooms.add(HostCapacity.roomOf(host, cell));
        }
        Map<String, Endpoint> byName = new LinkedHashMap<>();
        List<PlacementRequest> requests = new ArrayList<>(pending.size());
        for (Endpoint endpoint : pending) {
            byName.put(endpoint.name(), endpoint);
            requests.add(new PlacementRequest(endpoint.name(), PlacementNeed.startingSize(endpoint)));
        }
        PlacementPlan plan = BestFit.plan(requests, rooms);
        Instant now = clock.instant();
        Map<String, List<PlacementPlan.Assignment>> byHost = new LinkedHashMap<>();
        for (PlacementPlan.Assignment assignment : plan.assignments()) {
            byHost.computeIfAbsent(assignment.host(), h -> new ArrayList<>()).add(assignment);
        }
        boolean conflict = !writer.place(cell, hosts, byHost, byName, now);
        for (PlacementPlan.Unplaced unplaced : plan.unplaced()) {
            conflict |= !writer.markUnschedulable(byName.get(unplaced.endpoint()), unplaced.reason(), now);
        }
        if (conflict) {
            return Result.after(RETRY_AFTER_CONFLICT);
        }
        // Only a pass that placed something comes back at once: one that placed nothing would
        // find the same endpoints again, and the marks it wrote bring back the ones behind them.
        return batch.more() && !plan.assignments().isEmpty() ? Result.after(Duration.ZERO) : Result.done();
    }

    @Override
    public void close() {
        writer.close();
    }

    /** Endpoints to place in one pass, and whether others wait behind them. */
    private record Batch(List<Endpoint> endpoints, boolean more) {
    }

    /**
     * The next endpoints of the cell to place, at most {@code endpointsPerPass}, each
     * checked against the cache: new ones first, then those already found unschedulable, each in
     * name order. Walks the pending names only as far as it must.
     */
    private Batch nextBatch(String cellName) {
        List<Endpoint> fresh = new ArrayList<>();
        List<Endpoint> tried = new ArrayList<>();
        boolean more = false;
        for (String name : pendingEndpoints.inNameOrder(cellName)) {
            if (fresh.size() == endpointsPerPass) {
                more = true;
                break;
            }
            Endpoint endpoint = cache.endpoints.get(name).orElse(null);
            if (endpoint == null || !cellName.equals(endpoint.spec().cell())
                    || !PlacementNeed.needsCompute(endpoint, primaryOf(endpoint))) {
                continue;
            }
            if (!foundUnschedulable(endpoint)) {
                fresh.add(endpoint);
            } else {
                tried.add(endpoint);
            }
        }
        int room = endpointsPerPass - fresh.size();
        more |= tried.size() > room;
        fresh.addAll(tried.subList(0, Math.min(tried.size(), room)));
        return new Batch(fresh, more);
    }

    private Compute primaryOf(Endpoint endpoint) {
        if (endpoint.status() == null || endpoint.status().compute() == null) {
            return null;
        }
        return cache.computes.get(endpoint.status().compute()).orElse(null);
    }

    private static boolean foundUnschedulable(Endpoint endpoint) {
        return endpoint.status() != null && endpoint.status().conditions().stream()
                .anyMatch(c -> c.type().equals(Conditions.SCHEDULED) && c.status() == Condition.Status.False);
    }
}
