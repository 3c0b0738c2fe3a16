package io.tidepool.restart;

import io.tidepool.api.resource.Cell;
import io.tidepool.api.resource.Compute;
import io.tidepool.api.resource.Condition;
import io.tidepool.api.resource.Endpoint;
import io.tidepool.api.resource.Host;
import io.tidepool.capacity.HostCapacity;
import io.tidepool.capacity.HostRoom;
import io.tidepool.control.Conditions;
import io.tidepool.control.FleetCache;
import io.tidepool.endpoint.ClientAddresses;
import io.tidepool.endpoint.ClientAddresses;
import io.tidepool.placement.BestFit;
import io.tidepool.placement.PlacementPlan;
import io.tidepool.placement.PlacementRequest;
import io.tidepool.reconcile.Reconciler;
import io.tidepool.reconcile.Result;
import io.tidepool.registry.ResourceTxn;
import io.tidepool.store.Store;
import io.tidepool.switchover.Switchover;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Planned restarts of one endpoint (the key) with {@link RestartPlanner}: a replacement with the
 * endpoint's Postgres starts ahead of the window on the best-fitting host, the endpoint switches to
 * it once it is warm and the window is open ({@link Switchover}), and a replacement that is no
 * longer needed or missed its window is retired. Changes a reload applies are written to the
 * running compute's spec at once, for its host agent to reload. Each start, switch and abandoned
 * restart, once committed, goes to a {@link RestartObserver}.
 */
public final class RestartReconciler implements Reconciler<String> {
    private static final Duration RETRY_AFTER_CONFLICT = Duration.ofMillis(50);

    private final FleetCache cache;
    private final Store store;
    private final InstantSource clock;
    private final RestartSettings settings;
    private final Map<String, RestartDecision> lastDecisions = new ConcurrentHashMap<>();
    private final RestartObserver observer;
    private final ClientAddresses addresses;

    public RestartReconciler(FleetCache cache, Store store, InstantSource clock, RestartSettings settings) {
        this(cache, store, clock, settings, RestartObserver.NONE);
    }

    public RestartReconciler(FleetCache cache, Store store, InstantSource clock, RestartSettings settings,
                             RestartObserver observer) {
        this(cache, store, clock, settings, observer, ClientAddresses.NONE);
    }

    /** @param addresses the endpoints' stable addresses, which a restart keeps */
    public RestartReconciler(FleetCache cache, Store store, InstantSource clock, RestartSettings settings,
                             RestartObserver observer, ClientAddresses addresses) {
        this.addresses = addresses;
        this.cache = cache;
        this.store = store;
        this.clock = clock;
        this.settings = settings;
        this.observer = observer;
    }

    /** The latest restart decision about an endpoint, with its explanation (for describe). */
    public Optional<RestartDecision> lastDecision(String endpoint) {
        return Optional.ofNullable(lastDecisions.get(endpoint));
    }

    @Override
    public Result reconcile(String name) {
        Endpoint endpoint = cache.endpoints.get(name).orElse(null);
        List<Compute> computes = cache.computes.byIndex(FleetCache.BY_ENDPOINT, name);
        Optional<Compute> replacement = Switchover.replacementOf(computes, Switchover.Purpose.restart);
        Compute primary = endpoint == null || endpoint.status() == null || endpoint.status().compute() == null ? null
                : cache.computes.get(endpoint.status().compute()).orElse(null);
        if (primary == null) {
            // Suspended, deleted or evicted: a replacement warmed from a primary that is gone has nothing to take over.
            lastDecisions.remove(name);
            return replacement.map(r -> gaveUp(new ResourceTxn().delete(r), RestartCause.UNKNOWN, RestartEnd.PRIMARY_GONE))
                    .orElse(Result.done());
        }
        boolean moving = Switchover.replacementOf(computes, Switchover.Purpose.migration).isPresent();
        if (primary.spec().role() == Compute.Role.fenced && !moving) {
            return finishSwitch(endpoint, primary, replacement.orElse(null));
        }
        boolean running = primary.status() != null && primary.status().phase() == Compute.Phase.Running;
        if (!running || moving) {
            return Result.done(); // looked at again when the primary runs or the move is over
        }
        Instant now = clock.instant();
        RestartNeed need = RestartNeed.between(endpoint.spec().postgres(), primary.spec().postgres());
        if (!need.needsRestart() && need.needsReload() && replacement.isEmpty()) {
            return write(new ResourceTxn().update(primary, withPostgres(primary, endpoint.spec().postgres())));
        }
        RestartInput.Replacement state = replacement.map(r -> stateOf(r, endpoint, primary)).orElse(RestartInput.Replacement.NONE);
        RestartDecision decision = RestartPlanner.decide(new RestartInput(need, endpoint.spec().restartWindow(), state,
                settings.prewarmLead(), inFlightIn(endpoint.spec().cell()), settings.maxPerCell()), now);
        lastDecisions.put(name, decision);
        if (decision instanceof RestartDecision.Wait wait) {
            return markPending(endpoint, need, state, now)
                    .orElseGet(() -> Result.after(Duration.between(now, wait.until()).plusMillis(1)));
        }
        if (decision instanceof RestartDecision.StartReplacement) {
            return startReplacement(endpoint, primary, computes, now);
        }
        if (decision instanceof RestartDecision.Switch) {
            ResourceTxn txn = new ResourceTxn();
            Switchover.fence(txn, primary);
            return write(txn);
        }
        if (decision instanceof RestartDecision.RetireReplacement) {
            Compute retired = replacement.orElseThrow();
            return gaveUp(retire(endpoint, retired),
                    RestartCause.between(retired.spec().postgres(), primary.spec().postgres()),
                    state.state() == RestartInput.ReplacementState.FAILING ? RestartEnd.REPLACEMENT_FAILED : RestartEnd.RETIRED);
        }
        return clearPending(endpoint, now);
    }

    /** The spec went back to what runs: a pending restart is no longer pending. */
    private Result clearPending(Endpoint endpoint, Instant now) {
        List<Condition> before = endpoint.status().conditions();
        if (!Conditions.isTrue(before, Conditions.RESTART_PENDING)) {
            return Result.done();
        }
        List<Condition> after = Conditions.set(before, new Condition(Conditions.RESTART_PENDING, Condition.Status.False,
                "UpToDate", "the compute runs the Postgres its spec asks for", now));
        return write(new ResourceTxn().update(endpoint, endpoint.withStatus(withConditions(endpoint.status(), after))));
    }

    /** Writes the RestartPending condition when it changes; empty when there was nothing to write. */
    private Optional<Result> markPending(Endpoint endpoint, RestartNeed need, RestartInput.Replacement state, Instant now) {
        String reason = switch (state.state()) {
            case NONE -> "WaitingForWindow";
            case STARTING -> "Prewarming";
            case WARM -> "Warm";
            case FAILING -> "ReplacementFailing";
        };
        Condition condition = new Condition(Conditions.RESTART_PENDING, Condition.Status.True, reason,
                "restart for " + need.restartReason().orElseThrow(), now);
        List<Condition> before = endpoint.status().conditions();
        List<Condition> after = Conditions.set(before, condition);
        if (after.equals(before)) {
            return Optional.empty();
        }
        return Optional.of(write(new ResourceTxn().update(endpoint, endpoint.withStatus(withConditions(endpoint.status(), after)))));
    }

    private Result startReplacement(Endpoint endpoint, Compute primary, List<Compute> computes, Instant now) {
        Cell cell = cache.cells.get(endpoint.spec().cell()).orElse(null);
        if (cell == null) {
            return Result.done();
        }
        List<HostRoom> rooms = new ArrayList<>();
        for (Host host : cache.hosts.byIndex(FleetCache.BY_CELL, cell.name())) {
            rooms.add(HostCapacity.roomOf(host, cell));
        }
        PlacementPlan plan = BestFit.plan(List.of(new PlacementRequest(endpoint.name(), primary.spec().cu())), rooms);
        if (plan.assignments().isEmpty()) {
            lastDecisions.put(endpoint.name(), new RestartDecision.Wait(now.plus(RestartPlanner.RECHECK),
                    "no host can take a replacement of " + primary.spec().cu() + " CU: " + plan.unplaced().get(0).reason()));
            return Result.after(RestartPlanner.RECHECK);
        }
        Host target = cache.hosts.get(plan.assignments().get(0).host()).orElseThrow();
        ResourceTxn txn = new ResourceTxn().expectUnchanged(primary);
        long epoch = Switchover.nextEpoch(endpoint, computes);
        Optional<Compute> replacement = Switchover.start(txn, endpoint, epoch, target, cell, primary.spec().cu(),
                endpoint.spec().postgres(), Switchover.Purpose.restart, now);
        if (replacement.isEmpty() || !committed(txn)) {
            return Result.after(RETRY_AFTER_CONFLICT);
        }
        observer.started(RestartCause.between(endpoint.spec().postgres(), primary.spec().postgres()));
        return Result.done();
    }

    /**
     * The primary is fenced and no migration is under way: promote the restart's replacement once
     * the primary's host says it stopped; if the replacement is gone, the old primary serves again
     * and the restart is decided afresh.
     */
    private Result finishSwitch(Endpoint endpoint, Compute fenced, Compute replacement) {
        if (replacement == null) {
            ResourceTxn txn = new ResourceTxn();
            Switchover.unfence(txn, fenced);
            return gaveUp(txn, RestartCause.between(endpoint.spec().postgres(), fenced.spec().postgres()),
                    RestartEnd.REPLACEMENT_LOST);
        }
        if (!Switchover.stopped(fenced)) {
            return Result.done(); // its host's report queues the endpoint again
        }
        RestartNeed need = RestartNeed.between(replacement.spec().postgres(), fenced.spec().postgres());
        return switchTo(endpoint, fenced, replacement, need, clock.instant());
    }

    private Result switchTo(Endpoint endpoint, Compute primary, Compute replacement, RestartNeed need, Instant now) {
        Host target = cache.hosts.get(replacement.spec().host()).orElse(null);
        Cell cell = cache.cells.get(endpoint.spec().cell()).orElse(null);
        List<Condition> conditions = Conditions.set(endpoint.status().conditions(), new Condition(
                Conditions.RESTART_PENDING, Condition.Status.False, "Restarted",
                "restarted for " + need.restartReason().orElse("the spec") + ": switched from " + primary.name() + " on "
                        + primary.spec().host() + " to " + replacement.name() + " on " + replacement.spec().host(), now));
        ResourceTxn txn = new ResourceTxn();
        Switchover.complete(txn, endpoint, primary, replacement, target, cell, conditions, addresses);
        if (!committed(txn)) {
            return Result.after(RETRY_AFTER_CONFLICT);
        }
        Instant started = replacement.metadata().creationTimestamp();
        observer.switched(RestartCause.between(replacement.spec().postgres(), primary.spec().postgres()),
                started == null || started.isAfter(now) ? Duration.ZERO : Duration.between(started, now));
        return Result.done();
    }

    /**
     * Deletes the replacement and raises the endpoint's epoch to its own: a fresh replacement
     * started next is then named anew, not as this one, which its host may not have stopped yet.
     */
    private static ResourceTxn retire(Endpoint endpoint, Compute retired) {
        Endpoint.Status s = endpoint.status();
        ResourceTxn txn = new ResourceTxn().delete(retired);
        if (s.epoch() == null || s.epoch() < retired.spec().epoch()) {
            txn.update(endpoint, endpoint.withStatus(new Endpoint.Status(s.phase(), s.host(), s.cu(), s.address(),
                    s.conditions(), s.lastDecision(), s.compute(), retired.spec().epoch(), s.resumeRequestedAt())));
        }
        return txn;
    }

    /**
     * A replacement its host cannot run is failing, since the host first said so, whatever its
     * phase between retries. Each replacement given up raised the endpoint's epoch ({@link #retire}),
     * so the endpoint's epoch above its primary's counts those given up since the primary started.
     */
    private static RestartInput.Replacement stateOf(Compute replacement, Endpoint endpoint, Compute primary) {
        Instant started = replacement.metadata().creationTimestamp();
        Optional<Condition> cannotRun = replacement.status() == null ? Optional.empty()
                : replacement.status().conditions().stream()
                        .filter(c -> c.type().equals(Compute.CANNOT_RUN) && c.status() == Condition.Status.True).findFirst();
        if (cannotRun.isPresent()) {
            Long epoch = endpoint.status().epoch();
            int givenUp = epoch == null ? 0 : (int) Math.max(0, Math.min(Integer.MAX_VALUE, epoch - primary.spec().epoch()));
            return RestartInput.Replacement.failing(started, cannotRun.get().lastTransitionTime(), cannotRun.get().message(),
                    givenUp);
        }
        return Switchover.ready(replacement) ? RestartInput.Replacement.warm(started) : RestartInput.Replacement.starting(started);
    }

    /** Restart replacements running in the cell: each holds a slot until its switch or retirement. */
    private int inFlightIn(String cell) {
        int count = 0;
        for (Compute compute : cache.computes.byIndex(FleetCache.BY_PURPOSE, Switchover.Purpose.restart.name())) {
            Optional<Endpoint> endpoint = cache.endpoints.get(compute.spec().endpoint());
            if (compute.spec().role() == Compute.Role.replacement && endpoint.isPresent() && cell != null && cell.equals(endpoint.get().spec().cell())) {
                count++;
            }
        }
        return count;
    }

    private Result write(ResourceTxn txn) {
        return committed(txn) ? Result.done() : Result.after(RETRY_AFTER_CONFLICT);
    }

    private Result gaveUp(ResourceTxn txn, RestartCause cause, RestartEnd end) {
        if (!committed(txn)) {
            return Result.after(RETRY_AFTER_CONFLICT);
        }
        observer.gaveUp(cause, end);
        return Result.done();
    }

    private boolean committed(ResourceTxn txn) {
        return store.txn(txn.toTxn()).succeeded();
    }

    private static Compute withPostgres(Compute compute, Endpoint.Postgres postgres) {
        Compute.Spec s = compute.spec();
        return new Compute(compute.metadata(), new Compute.Spec(s.endpoint(), s.host(), s.cu(), s.role(), s.epoch(),
                postgres), compute.status());
    }

    private static Endpoint.Status withConditions(Endpoint.Status s, List<Condition> conditions) {
        return new Endpoint.Status(s.phase(), s.host(), s.cu(), s.address(), conditions, s.lastDecision(), s.compute(),
                s.epoch(), s.resumeRequestedAt());
    }
}
