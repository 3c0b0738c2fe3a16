package io.tidepool.placement;

import io.tidepool.api.quantity.Cu;
import io.tidepool.api.resource.Cell;
import io.tidepool.api.resource.Compute;
import io.tidepool.api.resource.Condition;
import io.tidepool.api.resource.Endpoint;
import io.tidepool.api.resource.Host;
import io.tidepool.api.resource.ObjectMeta;
import io.tidepool.capacity.HostCapacity;
import io.tidepool.capacity.Ledger;
import io.tidepool.control.Conditions;
import io.tidepool.registry.ResourceTxn;
import io.tidepool.store.Store;
import io.tidepool.store.TxnResult;
import io.tidepool.switchover.Switchover;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToLongFunction;

/**
 * Carries out a placement plan: per host, the computes, their endpoints' new status and the host's
 * raised ledger in one transaction that compares all of them, so no two decisions can overcommit a
 * host. The hosts are independent, so several hosts' transactions are in flight at once: the store
 * then commits them together (one log write, one fsync) while the next ones are encoded, instead of
 * one round trip after another.
 */
final class PlacementWriter implements AutoCloseable {
    /** Hosts written at once; the store's group commit gains little beyond a few. */
    static final int HOSTS_IN_FLIGHT = 4;
    /** Computes per transaction: each costs four operations, and a host rarely takes more at once. */
    private static final int COMPUTES_PER_TXN = 500;

    private final Store store;
    private final ToLongFunction<Endpoint> nextEpoch;
    private final ExecutorService writers;
    private final AtomicLong lastWrittenRevision = new AtomicLong();

    /** @param nextEpoch the epoch of an endpoint's next compute ({@link Switchover#nextEpoch}) */
    PlacementWriter(Store store, ToLongFunction<Endpoint> nextEpoch) {
        this.store = store;
        this.nextEpoch = nextEpoch;
        AtomicInteger threads = new AtomicInteger();
        this.writers = Executors.newFixedThreadPool(HOSTS_IN_FLIGHT, runnable -> {
            Thread thread = new Thread(runnable, "placement-write-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** The revision of the latest write that succeeded, so a caller can wait for its cache to hold it. */
    long lastWrittenRevision() {
        return lastWrittenRevision.get();
    }

    /**
     * Writes every host's assignments and returns once all are answered; false when some compare
     * failed (that host's remaining assignments are not written, the others are).
     *
     * @param byHost the plan's assignments grouped by host; the queue of writes is bounded by it
     */
    boolean place(Cell cell, Map<String, Host> hosts, Map<String, List<PlacementPlan.Assignment>> byHost,
                  Map<String, Endpoint> endpoints, Instant now) throws InterruptedException {
        List<Future<Boolean>> writes = new ArrayList<>(byHost.size());
        for (Map.Entry<String, List<PlacementPlan.Assignment>> entry : byHost.entrySet()) {
            Host host = hosts.get(entry.getKey());
            writes.add(writers.submit(() -> placeOnHost(cell, host, entry.getValue(), endpoints, now)));
        }
        boolean allWritten = true;
        RuntimeException failure = null;
        for (Future<Boolean> write : writes) {
            try {
                allWritten &= write.get();
            } catch (ExecutionException e) {
                // Wait for the others first: a retry must not race this pass's own writes.
                failure = failure != null ? failure : asRuntime(e.getCause());
            }
        }
        if (failure != null) {
            throw failure;
        }
        return allWritten;
    }

    /** Marks the endpoint as placed nowhere, with why; false when it changed meanwhile. */
    boolean markUnschedulable(Endpoint endpoint, String reason, Instant now) {
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
        return written(store.txn(new ResourceTxn().update(endpoint, endpoint.withStatus(next)).toTxn()));
    }

    @Override
    public void close() {
        writers.shutdown();
        try {
            if (!writers.awaitTermination(30, TimeUnit.SECONDS)) {
                writers.shutdownNow();
            }
        } catch (InterruptedException e) {
            writers.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /** Writes one host's assignments in chunks; false when a compare failed (nothing of that chunk written). */
    private boolean placeOnHost(Cell cell, Host host, List<PlacementPlan.Assignment> assignments,
                                Map<String, Endpoint> endpoints, Instant now) {
        Cu capacity = HostCapacity.capacity(host.spec().capacity(), cell.spec().cpuOvercommit());
        Host current = host;
        for (int from = 0; from < assignments.size(); from += COMPUTES_PER_TXN) {
            List<PlacementPlan.Assignment> chunk = assignments.subList(from, Math.min(assignments.size(), from + COMPUTES_PER_TXN));
            ResourceTxn txn = new ResourceTxn();
            Cu allocated = Ledger.allocated(current);
            for (PlacementPlan.Assignment assignment : chunk) {
                Endpoint endpoint = endpoints.get(assignment.endpoint());
                long epoch = nextEpoch.applyAsLong(endpoint);
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
            if (!written(result)) {
                return false;
            }
            current = after.withMetadata(after.metadata().withRevisions(result.revision(),
                    current.metadata().createRevision()));
        }
        return true;
    }

    private boolean written(TxnResult result) {
        if (result.succeeded()) {
            lastWrittenRevision.accumulateAndGet(result.revision(), Math::max);
        }
        return result.succeeded();
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

    private static RuntimeException asRuntime(Throwable cause) {
        return cause instanceof RuntimeException runtime ? runtime : new IllegalStateException(cause);
    }
}
