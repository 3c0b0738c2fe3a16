package io.tidepool.endpoint;

import io.tidepool.api.quantity.Cu;
import io.tidepool.api.resource.Compute;
import io.tidepool.api.resource.Condition;
import io.tidepool.api.resource.Endpoint;
import io.tidepool.control.Conditions;
import io.tidepool.control.FleetCache;
import io.tidepool.reconcile.Reconciler;
import io.tidepool.reconcile.Result;
import io.tidepool.registry.ResourceTxn;
import io.tidepool.store.Store;
import io.tidepool.switchover.Switchover;
import io.tidepool.telemetry.Telemetry;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One endpoint (the key): reports what its primary compute does (phase, size, address: the
 * proxy's stable one when a proxy serves it, see {@link ClientAddresses}) in the
 * endpoint's status, and suspends it when it has been idle for {@code suspendAfter}: the compute is
 * deleted with the endpoint's claim in one transaction, and the ledger sync releases its CU.
 */
public final class EndpointReconciler implements Reconciler<String> {
    private static final Duration RETRY_AFTER_CONFLICT = Duration.ofMillis(50);

    private final FleetCache cache;
    private final Store store;
    private final Telemetry telemetry;
    private final InstantSource clock;
    private final ClientAddresses addresses;

    public EndpointReconciler(FleetCache cache, Store store, Telemetry telemetry, InstantSource clock) {
        this(cache, store, telemetry, clock, ClientAddresses.NONE);
    }

    /** @param addresses the endpoints' stable addresses, when a proxy serves them */
    public EndpointReconciler(FleetCache cache, Store store, Telemetry telemetry, InstantSource clock,
                              ClientAddresses addresses) {
        this.cache = cache;
        this.store = store;
        this.telemetry = telemetry;
        this.clock = clock;
        this.addresses = addresses;
    }

    @Override
    public Result reconcile(String name) {
        Endpoint endpoint = cache.endpoints.get(name).orElse(null);
        if (endpoint == null || endpoint.status() == null || endpoint.status().compute() == null) {
            return Result.done();
        }
        Compute primary = cache.computes.get(endpoint.status().compute()).orElse(null);
        if (primary == null) {
            return Result.done();
        }
        Instant now = clock.instant();
        Compute.Status observed = primary.status();
        boolean running = observed != null && observed.phase() == Compute.Phase.Running;
        if (running) {
            SuspendPolicy.Decision suspend = SuspendPolicy.decide(endpoint.spec().suspendAfter(),
                    telemetry.lastActive(name).orElse(null), primary.metadata().creationTimestamp(),
                    telemetry.termStart(), now);
            if (suspend.suspend()) {
                return suspend(endpoint, primary, suspend.explanation(), now);
            }
            Result rollup = rollup(endpoint, primary);
            return suspend.recheckAt() == null ? rollup
                    : Result.after(Duration.between(now, suspend.recheckAt()).plusMillis(1));
        }
        return rollup(endpoint, primary);
    }

    private Result rollup(Endpoint endpoint, Compute primary) {
        Endpoint.Status s = endpoint.status();
        Compute.Status observed = primary.status();
        Endpoint.Phase phase = observed != null && observed.phase() == Compute.Phase.Running ? Endpoint.Phase.Running
                : observed != null && observed.phase() == Compute.Phase.Failed ? Endpoint.Phase.Failed
                : Endpoint.Phase.Pending;
        if (phase != Endpoint.Phase.Failed) {
            phase = switching(endpoint.name()).orElse(phase);
        }
        if (phase == Endpoint.Phase.Pending && takingOver(s, observed)) {
            phase = s.phase(); // the switch is not over until the new primary runs as one
        }
        boolean fenced = primary.spec().role() == Compute.Role.fenced;
        // A fenced primary stops for the moment of a switch: the endpoint keeps showing its size and address.
        Cu cu = !fenced && observed != null && observed.cu() != null ? observed.cu() : s.cu();
        String address = fenced || observed == null ? addresses.of(endpoint.name()).orElse(s.address())
                : addresses.address(endpoint.name(), observed.address());
        if (phase == s.phase() && Objects.equals(cu, s.cu()) && Objects.equals(address, s.address())
                && Objects.equals(primary.spec().host(), s.host())) {
            return Result.done();
        }
        Endpoint.Status next = new Endpoint.Status(phase, primary.spec().host(), cu, address, s.conditions(),
                s.lastDecision(), s.compute(), s.epoch(), s.resumeRequestedAt());
        boolean written = store.txn(new ResourceTxn().update(endpoint, endpoint.withStatus(next)).toTxn()).succeeded();
        return written ? Result.done() : Result.after(RETRY_AFTER_CONFLICT);
    }

    /** A switch promoted this primary, which is still taking over (a standby promoting, or starting on the data). */
    private static boolean takingOver(Endpoint.Status s, Compute.Status observed) {
        boolean switched = s.phase() == Endpoint.Phase.Restarting || s.phase() == Endpoint.Phase.Migrating;
        return switched && observed != null && observed.phase() == Compute.Phase.Starting;
    }

    /** Migrating or Restarting while a replacement of that purpose is on its way. */
    private Optional<Endpoint.Phase> switching(String endpoint) {
        for (Compute compute : cache.computes.byIndex(FleetCache.BY_ENDPOINT, endpoint)) {
            Optional<Switchover.Purpose> purpose = compute.spec().role() == Compute.Role.replacement
                    ? Switchover.Purpose.of(compute) : Optional.empty();
            if (purpose.isPresent()) {
                return Optional.of(purpose.get() == Switchover.Purpose.migration
                        ? Endpoint.Phase.Migrating : Endpoint.Phase.Restarting);
            }
        }
        return Optional.empty();
    }

    private Result suspend(Endpoint endpoint, Compute primary, String explanation, Instant now) {
        Endpoint.Status s = endpoint.status();
        List<Condition> conditions = Conditions.set(s.conditions(),
                new Condition(Conditions.SUSPENDED, Condition.Status.True, "Idle", explanation, now));
        // A proxy's address stays while the endpoint sleeps: the next connection there wakes it.
        Endpoint.Status next = new Endpoint.Status(Endpoint.Phase.Suspended, null, Cu.ZERO,
                addresses.of(endpoint.name()).orElse(null), conditions,
                s.lastDecision(), null, s.epoch(), null);
        ResourceTxn txn = new ResourceTxn().delete(primary).update(endpoint, endpoint.withStatus(next));
        for (Compute other : cache.computes.byIndex(FleetCache.BY_ENDPOINT, endpoint.name())) {
            if (!other.name().equals(primary.name())) {
                txn.delete(other);
            }
        }
        boolean written = store.txn(txn.toTxn()).succeeded();
        if (written) {
            telemetry.forgetCompute(primary.name());
        }
        return written ? Result.done() : Result.after(RETRY_AFTER_CONFLICT);
    }
}
