package io.tidepool.capacity;

import io.tidepool.api.quantity.Cu;
import io.tidepool.api.resource.Cell;
import io.tidepool.api.resource.Compute;
import io.tidepool.api.resource.Host;
import io.tidepool.control.FleetCache;
import io.tidepool.reconcile.Reconciler;
import io.tidepool.reconcile.Result;
import io.tidepool.registry.ResourceTxn;
import io.tidepool.store.Store;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one host's ledger (the key) true: it releases what computes no longer hold (they shrank,
 * stopped or moved) and records the host's capacity as placement counts it. It only ever LOWERS the
 * ledger: raising is admission's, inside the transaction that grants. The cache applies computes
 * before hosts, so the computes seen beside a host include every one written with its ledger; the
 * write compares the host, so anything granted meanwhile makes it retry.
 */
public final class LedgerReconciler implements Reconciler<String> {
    private static final Logger log = LoggerFactory.getLogger(LedgerReconciler.class);

    private static final Duration MID_WRITE_RECHECK = Duration.ofMillis(20);

    private final FleetCache cache;
    private final Store store;

    public LedgerReconciler(FleetCache cache, Store store) {
        this.cache = cache;
        this.store = store;
    }

    /**
     * Whether a compute is newer than the cache's revision when this look began: a reader on another
     * thread sees the computes of a write before its host (never the reverse), and a host read before
     * the write was applied, beside computes read after, would look under-recorded.
     */
    private static boolean newerThan(List<Compute> computes, long revision) {
        return computes.stream().anyMatch(c -> c.metadata().resourceVersion() > revision);
    }

    @Override
    public Result reconcile(String hostName) {
        long seen = cache.revision();
        Host host = cache.hosts.get(hostName).orElse(null);
        if (host == null) {
            return Result.done();
        }
        Cell cell = cache.cells.get(host.spec().cell()).orElse(null);
        if (cell == null) {
            return Result.done();
        }
        List<Compute> computes = cache.computes.byIndex(FleetCache.BY_HOST, hostName);
        Cu held = Ledger.sum(computes);
        Cu recorded = Ledger.allocated(host);
        Cu capacity = HostCapacity.capacity(host.spec().capacity(), cell.spec().cpuOvercommit());
        Cu ledger = recorded;
        if (held.compareTo(recorded) < 0) {
            ledger = held;
        } else if (held.compareTo(recorded) > 0 && newerThan(computes, seen)) {
            // A write came in while this look read the cache: its host may be newer than the one read.
            return Result.after(MID_WRITE_RECHECK);
        } else if (held.compareTo(recorded) > 0) {
            // Cannot happen while every grant goes through admission; say so loudly, never hide it.
            log.error("{}: computes hold {} CU but the ledger records {} CU; raising the ledger", hostName, held, recorded);
            ledger = held;
        }
        Cu recordedCapacity = host.status() == null ? null : host.status().capacityCu();
        if (ledger.equals(recorded) && capacity.equals(recordedCapacity) && host.status() != null
                && host.status().allocatedCu() != null) {
            return Result.done();
        }
        store.txn(new ResourceTxn().update(host, Ledger.withLedger(host, ledger, capacity)).toTxn());
        // Succeeded or lost a race: either way the host's change event brings it back if needed.
        return Result.done();
    }
}
