package io.tidepool.placement;

import io.tidepool.api.quantity.Cu;
import io.tidepool.api.resource.Cell;
import io.tidepool.api.resource.Compute;
import io.tidepool.api.resource.Condition;
import io.tidepool.api.resource.Endpoint;
import io.tidepool.api.resource.Host;
import io.tidepool.api.resource.ObjectMeta;
import io.tidepool.capacity.HostCapacity;
import io.tidepool.capacity.HostRoom;
import io.tidepool.capacity.Ledger;
import io.tidepool.control.Conditions;
import io.tidepool.control.FleetCache;
import io.tidepool.reconcile.Reconciler;
import io.tidepool.reconcile.Result;
import io.tidepool.registry.ResourceTxn;
import io.tidepool.store.Store;
import io.tidepool.store.TxnResult;
import io.tidepool.switchover.Switchover;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Places the endpoints of one cell (the key) that need a compute: decides with {@link BestFit} over
 * the cached hosts, then writes, per host, the compute, the endpoint's new status and the host's
 * raised ledger in one transaction that compares all three, so that no two decisions can ever
 * overcommit a host. A failed compare is a lost race with another writer: the cell is looked at
 * again once the cache has caught up.
 */
public final class PlacementReconciler implements Reconciler<String> {
    /** Computes per transaction: each costs three operations, and a host rarely takes more at once. */
    private static final int COMPUTES_PER_TXN = 500;
    private static final Duration RETRY_AFTER_CONFLICT = Duration.ofMillis(50);

    private final FleetCache cache;
    private final Store store;
    private final InstantSource clock;

    public PlacementReconciler(FleetCache cache, Store store, InstantSource clock) {
        this.cache = cache;
        this.store = store;
        this.clock = clock;
    }

    @Override
    public Result reconcile(String cellName) {
        Cell cell = cache.cells.get(cellName).orElse(null);
        if (cell == null) {
            return Result.done();
        }
        List<Endpoint> pending = cache.endpoints.byIndex(FleetCache.BY_CELL, cellName).stream()
                .filter(e -> PlacementNeed.needsCompute(e, primaryOf(e)))
                .sorted(Comparator.comparing(Endpoint::name))
                .toList();
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
        boolean conflict = false;
        Map<String, List<PlacementPlan.Assignment>> byHost = new LinkedHashMap<>();
        for (PlacementPlan.Assignment assignment : plan.assignments()) {
            byHost.computeIfAbsent(assignment.host(), h -> new ArrayList<>()).add(assignment);
        }
        for (Map.Entry<String, List<PlacementPlan.Assignment>> entry : byHost.entrySet()) {
            conflict |= !place(cell, hosts.get(entry.getKey()), entry.getValue(), byName, now);
        }
        for (PlacementPlan.Unplaced unplaced : plan.unplaced()) {
            conflict |= !markUnschedulable(byName.get(unplaced.endpoint()), unplaced.reason(), now);
        }
        return conflict ? Result.after(RETRY_AFTER_CONFLICT) : Result.done();
    }

    /** Writes one host's assignments in chunks; false when a compare failed (nothing of that chunk written). */
    private boolean place(Cell cell, Host host, List<PlacementPlan.Assignment> assignments,
                          Map<String, Endpoint> endpoints, Instant now) {
        Cu capacity = HostCapacity.capacity(host.spec().capacity(), cell.spec().cpuOvercommit());
        Host current = host;
        for (int from = 0; from < assignments.size(); from += COMPUTES_PER_TXN) {
            List<PlacementPlan.Assignment> chunk = assignments.subList(from, Math.min(assignments.size(), from + COMPUTES_PER_TXN));
            ResourceTxn txn = new ResourceTxn();
            Cu allocated = Ledger.allocated(current);
            for (PlacementPlan.Assignment assignment : chunk) {
                Endpoint endpoint = endpoints.get(assignment.endpoint());
                long epoch = Switchover.nextEpoch(endpoint, cache.computes.byIndex(FleetCache.BY_ENDPOINT, endpoint.name()));
                String computeName = Switchover.computeName(endpoint.name(), epoch);
                Compute compute = new Compute(ObjectMeta.named(computeName).withCreationTimestamp(now),
                        new Compute.Spec(endpoint.name(), host.name(), assignment.cu(), Compute.Role.primary, epoch,
                                endpoint.spec().postgres()), null);
                txn.create(compute);
                txn.update(endpoint, endpoint.withStatus(placedStatus(endpoint, assignment, computeName, epoch, now)));
                allocated = allocated.plus(assignment.cu());
            }
            if (allocated.compareTo(capacity) > 0) {
                // BestFit never plans this; refusing here keeps the invariant even if it did.
                throw new IllegalStateException("placement would overcommit " + host.name() + ": " + allocated
                        + " > " + capacity + " CU");
            }
            Host after = Ledger.withLedger(current, allocated, capacity);
            txn.update(current, after);
            TxnResult result = store.txn(txn.toTxn());
            if (!result.succeeded()) {
                return false;
            }
            current = after.withMetadata(after.metadata().withRevisions(result.revision(),
                    current.metadata().createRevision()));
        }
        return true;
    }

    private boolean markUnschedulable(Endpoint endpoint, String reason, Instant now) {
        Endpoint.Status status = endpoint.status();
        Condition condition = new Condition(Conditions.SCHEDULED, Condition.Status.False, "Unschedulable", reason, now);
        List<Condition> before = status == null ? List.of() : status.conditions();
        List<Condition> conditions = Conditions.set(before, condition);
        if (conditions.equals(before)) {
            return true;
        }
        Endpoint.Status next = status == null
                ? new Endpoint.Status(Endpoint.Phase.Pending, null, null, null, conditions, null, null, null, null)
                : new Endpoint.Status(status.phase() == Endpoint.Phase.Suspended ? status.phase() : Endpoint.Phase.Pending,
                        null, null, null, conditions, status.lastDecision(), null, status.epoch(), status.resumeRequestedAt());
        return store.txn(new ResourceTxn().update(endpoint, endpoint.withStatus(next)).toTxn()).succeeded();
    }

    private static Endpoint.Status placedStatus(Endpoint endpoint, PlacementPlan.Assignment assignment,
                                                String computeName, long epoch, Instant now) {
        Endpoint.Status status = endpoint.status();
        List<Condition> conditions = Conditions.set(status == null ? List.of() : status.conditions(),
                new Condition(Conditions.SCHEDULED, Condition.Status.True, "Placed", assignment.explanation(), now));
        if (Conditions.isTrue(conditions, Conditions.SUSPENDED)) {
            conditions = Conditions.set(conditions, new Condition(Conditions.SUSPENDED, Condition.Status.False,
                    "Resumed", "resumed on request", now));
        }
        return new Endpoint.Status(Endpoint.Phase.Pending, assignment.host(), assignment.cu(), null, conditions,
                status == null ? null : status.lastDecision(), computeName, epoch, null);
    }

    private Compute primaryOf(Endpoint endpoint) {
        if (endpoint.status() == null || endpoint.status().compute() == null) {
            return null;
        }
        return cache.computes.get(endpoint.status().compute()).orElse(null);
    }
}
