package io.tidepool.health;

import io.tidepool.api.resource.Compute;
import io.tidepool.api.resource.Condition;
import io.tidepool.api.resource.Endpoint;
import io.tidepool.api.resource.Host;
import io.tidepool.control.Conditions;
import io.tidepool.control.FleetCache;
import io.tidepool.reconcile.Reconciler;
import io.tidepool.reconcile.Result;
import io.tidepool.registry.ResourceTxn;
import io.tidepool.store.Store;
import io.tidepool.telemetry.Telemetry;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;

/**
 * Marks one host (the key) ready or not from its heartbeats ({@link HostHealth}), and takes the
 * computes off a host that is not ready: each is deleted together with its endpoint's claim on it,
 * in the same transaction, so placement starts the endpoint elsewhere under a new epoch. The host agent
 * stops computes by itself after a lease shorter than the grace period, and a host that comes back
 * finds its computes gone: two primaries never run.
 */
public final class HostHealthReconciler implements Reconciler<String> {
    private static final Duration RETRY_AFTER_CONFLICT = Duration.ofMillis(50);
    /** Computes evicted per transaction: four operations each, far below the store's limit. */
    private static final int COMPUTES_PER_TXN = 500;

    private final FleetCache cache;
    private final Store store;
    private final Telemetry telemetry;
    private final InstantSource clock;
    private final Duration grace;

    public HostHealthReconciler(FleetCache cache, Store store, Telemetry telemetry, InstantSource clock, Duration grace) {
        this.cache = cache;
        this.store = store;
        this.telemetry = telemetry;
        this.clock = clock;
        this.grace = grace;
    }

    @Override
    public Result reconcile(String hostName) {
        Host host = cache.hosts.get(hostName).orElse(null);
        if (host == null) {
            telemetry.forgetHost(hostName);
            return Result.done();
        }
        Instant now = clock.instant();
        boolean readyNow = host.status() != null && Boolean.TRUE.equals(host.status().ready());
        Instant lastHeartbeat = telemetry.lastHeartbeat(hostName).orElse(null);
        HostHealth.Decision decision = HostHealth.decide(hostName, lastHeartbeat, readyNow, telemetry.termStart(), grace, now);
        if (decision.ready() != readyNow || host.status() == null) {
            Host.Status status = host.status();
            Condition condition = new Condition(Conditions.READY, decision.ready() ? Condition.Status.True : Condition.Status.False,
                    decision.ready() ? "HeartbeatsArrive" : "HeartbeatsStopped", decision.explanation(), now);
            Host.Status next = status == null
                    ? new Host.Status(decision.ready(), null, null, lastHeartbeat, List.of(condition))
                    : new Host.Status(decision.ready(), status.allocatedCu(), status.capacityCu(), lastHeartbeat,
                            Conditions.set(status.conditions(), condition));
            if (!store.txn(new ResourceTxn().update(host, host.withStatus(next)).toTxn()).succeeded()) {
                return Result.after(RETRY_AFTER_CONFLICT);
            }
        }
        if (!decision.ready() && !evictComputes(hostName)) {
            return Result.after(RETRY_AFTER_CONFLICT);
        }
        return decision.recheckAt() == null ? Result.done()
                : Result.after(Duration.between(now, decision.recheckAt()).plusMillis(1));
    }

    /**
     * Deletes every compute of the host with its endpoint's claim, many computes per transaction; a
     * chunk that loses a race is written again one compute at a time, so one busy endpoint cannot
     * hold up the others. False when some compare still failed.
     */
    private boolean evictComputes(String hostName) {
        List<Compute> computes = cache.computes.byIndex(FleetCache.BY_HOST, hostName);
        boolean allWritten = true;
        for (int from = 0; from < computes.size(); from += COMPUTES_PER_TXN) {
            List<Compute> chunk = computes.subList(from, Math.min(computes.size(), from + COMPUTES_PER_TXN));
            if (evict(chunk)) {
                continue;
            }
            for (Compute compute : chunk) {
                allWritten &= evict(List.of(compute));
            }
        }
        return allWritten;
    }

    private boolean evict(List<Compute> computes) {
        ResourceTxn txn = new ResourceTxn();
        for (Compute compute : computes) {
            txn.delete(compute);
            Endpoint endpoint = cache.endpoints.get(compute.spec().endpoint()).orElse(null);
            if (endpoint != null && endpoint.status() != null && compute.name().equals(endpoint.status().compute())) {
                Endpoint.Status s = endpoint.status();
                txn.update(endpoint, endpoint.withStatus(new Endpoint.Status(Endpoint.Phase.Pending, null, null, null,
                        s.conditions(), s.lastDecision(), null, s.epoch(), s.resumeRequestedAt())));
            }
        }
        if (!store.txn(txn.toTxn()).succeeded()) {
            return false;
        }
        computes.forEach(compute -> telemetry.forgetCompute(compute.name()));
        return true;
    }
}
