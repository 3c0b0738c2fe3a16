package io.tidepool.autoscale;

import io.tidepool.api.agent.ComputeMetrics;
import io.tidepool.api.agent.UpscaleRequest;
import io.tidepool.api.quantity.Cu;
import io.tidepool.api.resource.Cell;
import io.tidepool.api.resource.Compute;
import io.tidepool.api.resource.Condition;
import io.tidepool.api.resource.Endpoint;
import io.tidepool.api.resource.Host;
import io.tidepool.api.resource.Kind;
import io.tidepool.capacity.HostCapacity;
import io.tidepool.capacity.HostRoom;
import io.tidepool.capacity.Ledger;
import io.tidepool.control.Conditions;
import io.tidepool.control.FleetCache;
import io.tidepool.reconcile.Reconciler;
import io.tidepool.reconcile.Result;
import io.tidepool.registry.ResourceRegistry;
import io.tidepool.registry.ResourceTxn;
import io.tidepool.store.Store;
import io.tidepool.store.TxnResult;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sizes one primary compute (the key) with {@link Autoscaler}, from the goals the leader has seen
 * in its metrics. An upscale is admitted against the host in the same transaction that raises the
 * compute's size and the host's ledger (admission, then host, then guest: the host agent resizes
 * once it sees the new size); the grant may be partial, in whole quarter steps. A downscale only
 * lowers the size: the host asks the guest first, and the ledger releases the CU once the host
 * confirms. A refused downscale puts the size back and is not tried again for the refusal backoff.
 * Every change, a put-back included, is written to the endpoint's {@code lastDecision} with its
 * explanation. Each decision acted on, and the time each upscale took to reach its compute, go to
 * a {@link ScalingObserver}.
 */
public final class AutoscaleReconciler implements Reconciler<String> {
    private static final Duration RETRY_AFTER_CONFLICT = Duration.ofMillis(50);
    /** Grants tried against a host's ledger as read from the store, before waiting for the cache. */
    private static final int ADMISSION_ATTEMPTS = 3;

    private final FleetCache cache;
    private final Store store;
    private final ResourceRegistry registry;
    private final ScalingPolicy policy;
    private final InstantSource clock;
    private final Map<String, GoalHistory> histories = new ConcurrentHashMap<>();
    private final Map<String, Instant> refusals = new ConcurrentHashMap<>();
    private final Map<String, ScalingDecision> lastDecisions = new ConcurrentHashMap<>();
    /** Each compute's latest call for memory not answered yet: soft state, the guest calls again if unanswered. */
    private final Map<String, UpscaleRequest> requests = new ConcurrentHashMap<>();
    /** When each compute's guest last called for memory, answered or not: such a call holds downscales for a window. */
    private final Map<String, Instant> pressures = new ConcurrentHashMap<>();
    /** One per host that has had an upscale in this term: bounded by the hosts. */
    private final Map<String, Object> admissionLocks = new ConcurrentHashMap<>();
    /**
     * Each host as this reconciler's last grant wrote it, until the cache has caught up: the next
     * grant on that host, often a moment later when load rises on many of its computes at once,
     * would otherwise compare against the ledger before that grant, fail, and pay a second commit.
     */
    private final Map<String, Host> ledgersWritten = new ConcurrentHashMap<>();
    /** When each compute's oldest unanswered call for memory reached this leader: an upscale answering it is timed from then. */
    private final Map<String, Instant> callsReceived = new ConcurrentHashMap<>();
    private final UnconfirmedUpscales unconfirmed = new UnconfirmedUpscales();
    private final ScalingObserver observer;

    public AutoscaleReconciler(FleetCache cache, Store store, ScalingPolicy policy, InstantSource clock) {
        this(cache, store, policy, clock, ScalingObserver.NONE);
    }

    public AutoscaleReconciler(FleetCache cache, Store store, ScalingPolicy policy, InstantSource clock,
                               ScalingObserver observer) {
        this.cache = cache;
        this.store = store;
        this.registry = new ResourceRegistry(store);
        this.policy = policy;
        this.clock = clock;
        this.observer = observer;
    }

    /** Records a sample's goal (soft state); the caller then queues the compute. */
    public void record(String compute, ComputeMetrics sample) {
        GoalHistory history = histories.computeIfAbsent(compute,
                c -> new GoalHistory(policy.stabilisationWindow(), sample.at()));
        synchronized (history) {
            history.record(Goal.of(sample, policy));
        }
    }

    /** Keeps a guest's call for memory until a decision answers it; the caller then queues the compute. */
    public void requestUpscale(String compute, UpscaleRequest request) {
        requests.merge(compute, request, (held, newer) -> newer.at().isBefore(held.at()) ? held : newer);
        pressures.merge(compute, request.at(), (held, newer) -> newer.isBefore(held) ? held : newer);
        callsReceived.putIfAbsent(compute, clock.instant());
    }

    /**
     * Looks at a compute the cache has just changed: an upscale whose size its host now reports is
     * confirmed, and its time reported. Called for every change of a compute, so it returns at
     * once for one with no upscale waiting.
     */
    public void observe(Compute compute) {
        if (unconfirmed.size() == 0) {
            return;
        }
        unconfirmed.observe(compute, clock.instant())
                .ifPresent(confirmed -> observer.upscaleConfirmed(confirmed.reason(), confirmed.took()));
    }

    /** The latest decision about a compute, including holds, with its explanation (for describe). */
    public Optional<ScalingDecision> lastDecision(String compute) {
        return Optional.ofNullable(lastDecisions.get(compute));
    }

    @Override
    public Result reconcile(String name) {
        Compute compute = cache.computes.get(name).orElse(null);
        if (compute == null) {
            histories.remove(name);
            refusals.remove(name);
            lastDecisions.remove(name);
            requests.remove(name);
            pressures.remove(name);
            callsReceived.remove(name);
            unconfirmed.forget(name);
            return Result.done();
        }
        Compute.Status observed = compute.status();
        if (compute.spec().role() != Compute.Role.primary || observed == null
                || observed.phase() != Compute.Phase.Running) {
            return Result.done();
        }
        Endpoint endpoint = cache.endpoints.get(compute.spec().endpoint()).orElse(null);
        if (endpoint == null || endpoint.spec().compute() == null) {
            return Result.done();
        }
        Instant now = clock.instant();
        Optional<Condition> refused = observed.conditions().stream()
                .filter(c -> c.type().equals(Conditions.DOWNSCALE_REFUSED)).findFirst();
        if (refused.isPresent() && observed.cu() != null && compute.spec().cu().compareTo(observed.cu()) < 0) {
            // The guest said no: keep the size it runs with, and do not ask again for a while,
            // counted from now. Not from when the guest refused: the agent keeps that condition
            // until it sees the size put back, so an old refusal would let the next downscale
            // through at once, be put back at once, and so on without end. The endpoint says why
            // it kept its size: the condition goes with the put-back.
            refusals.put(name, now);
            return write(new ResourceTxn().update(compute, resized(compute, observed.cu()))
                    .update(endpoint, withDecision(endpoint, compute.spec().cu(), observed.cu(),
                            "put back to " + observed.cu() + " CU: " + refused.get().message(), now)),
                    ScalingDecision.Direction.UP, ScalingDecision.Reason.DOWNSCALE_REFUSED);
        }
        GoalHistory history = histories.get(name);
        ScalingDecision decision;
        ScalingInput input = new ScalingInput(endpoint.spec().compute().minCu(), endpoint.spec().compute().maxCu(),
                compute.spec().cu(), observed.cu(), history == null ? new GoalHistory(policy.stabilisationWindow(), now) : history,
                refusals.get(name), requests.get(name), pressures.get(name));
        if (history == null) {
            decision = Autoscaler.decide(policy, input, now);
        } else {
            synchronized (history) {
                decision = Autoscaler.decide(policy, input, now);
            }
        }
        lastDecisions.put(name, decision);
        Result result = switch (decision.direction()) {
            case HOLD -> {
                observer.decided(decision.direction(), decision.reason());
                yield Result.done();
            }
            case DOWN -> write(new ResourceTxn()
                    .update(compute, resized(compute, decision.to()))
                    .update(endpoint, withDecision(endpoint, decision.from(), decision.to(), decision.explanation(), now)),
                    decision.direction(), decision.reason());
            case UP -> admitUpscale(compute, endpoint, decision, now);
        };
        if (input.request() != null && (decision.reason() != ScalingDecision.Reason.PRESSURE || result.equals(Result.done()))) {
            // Answered: granted (in full or as far as the host could), covered, at the maximum, or
            // stale. A grant lost to a conflict keeps it for the retry. The guest calls again if
            // the answer was not enough.
            if (requests.remove(name, input.request())) {
                callsReceived.remove(name);
            }
        }
        return result;
    }

    /**
     * Grants what the host can give, up to the decision, in one transaction with the host's ledger.
     * The ledger is shared by every compute on the host: workers grant on one host one at a time,
     * and a grant that finds the ledger moved since the cache saw it reads it from the store and
     * tries again at once, rather than after a delay.
     */
    private Result admitUpscale(Compute compute, Endpoint endpoint, ScalingDecision decision, Instant now) {
        Host host = cache.hosts.get(compute.spec().host()).orElse(null);
        Cell cell = host == null ? null : cache.cells.get(host.spec().cell()).orElse(null);
        if (host == null || cell == null) {
            return Result.done();
        }
        synchronized (admissionLocks.computeIfAbsent(host.name(), name -> new Object())) {
            return admit(freshest(host), cell, compute, endpoint, decision, now);
        }
    }

    private Result admit(Host host, Cell cell, Compute compute, Endpoint endpoint, ScalingDecision decision, Instant now) {
        for (int attempt = 1; attempt <= ADMISSION_ATTEMPTS; attempt++) {
            HostRoom room = HostCapacity.roomOf(host, cell);
            Cu free = room.free();
            // What the compute holds already (it may run above its granted size) needs no new room.
            Cu held = Ledger.holds(compute);
            Cu needed = decision.to().compareTo(held) > 0 ? decision.to().minus(held) : Cu.ZERO;
            Cu granted = needed.min(free);
            Cu target = held.plus(granted).min(decision.to()).max(compute.spec().cu());
            if (target.equals(compute.spec().cu())) {
                lastDecisions.put(compute.name(), new ScalingDecision(ScalingDecision.Direction.HOLD, decision.from(),
                        decision.from(), decision.explanation() + "; not admitted: " + host.name() + " has no CU free",
                        ScalingDecision.Reason.NO_ROOM));
                observer.decided(ScalingDecision.Direction.HOLD, ScalingDecision.Reason.NO_ROOM);
                return Result.done();
            }
            String explanation = target.equals(decision.to()) ? decision.explanation()
                    : decision.explanation() + "; admitted " + target + " CU, " + host.name() + " had " + free + " CU free";
            Host afterHost = Ledger.withLedger(host, room.allocated().plus(granted), room.capacity());
            ResourceTxn txn = new ResourceTxn()
                    .update(host, afterHost)
                    .update(compute, resized(compute, target))
                    .update(endpoint, withDecision(endpoint, compute.spec().cu(), target, explanation, now));
            Instant since = decision.reason() == ScalingDecision.Reason.PRESSURE
                    ? callsReceived.getOrDefault(compute.name(), now) : now;
            UnconfirmedUpscales.Upscale before = unconfirmed.granting(compute.name(), target, decision.reason(), since);
            TxnResult result = store.txn(txn.toTxn());
            if (result.succeeded()) {
                ledgersWritten.put(host.name(), new Host(afterHost.metadata().withRevisions(result.revision(),
                        afterHost.metadata().createRevision()), afterHost.spec(), afterHost.status()));
                observer.decided(ScalingDecision.Direction.UP, decision.reason());
                return Result.done();
            }
            unconfirmed.undo(compute.name(), before);
            Host stored = registry.get(Host.class, Kind.HOST, host.name()).orElse(null);
            if (stored == null || stored.metadata().resourceVersion() == host.metadata().resourceVersion()) {
                break; // the host did not change: the compute or the endpoint did, and the cache will say how
            }
            host = stored;
        }
        return Result.after(RETRY_AFTER_CONFLICT);
    }

    private Host freshest(Host cached) {
        Host written = ledgersWritten.get(cached.name());
        if (written == null) {
            return cached;
        }
        if (written.metadata().resourceVersion() > cached.metadata().resourceVersion()) {
            return written;
        }
        ledgersWritten.remove(cached.name(), written);
        return cached;
    }

    private Result write(ResourceTxn txn, ScalingDecision.Direction direction, ScalingDecision.Reason reason) {
        if (!store.txn(txn.toTxn()).succeeded()) {
            return Result.after(RETRY_AFTER_CONFLICT);
        }
        observer.decided(direction, reason);
        return Result.done();
    }

    private static Compute resized(Compute compute, Cu cu) {
        Compute.Spec s = compute.spec();
        return new Compute(compute.metadata(), new Compute.Spec(s.endpoint(), s.host(), cu, s.role(), s.epoch(),
                s.postgres()), compute.status());
    }

    private static Endpoint withDecision(Endpoint endpoint, Cu from, Cu to, String explanation, Instant now) {
        Endpoint.Status s = endpoint.status();
        Endpoint.Decision decision = new Endpoint.Decision(now, from, to, explanation);
        return endpoint.withStatus(new Endpoint.Status(s.phase(), s.host(), s.cu(), s.address(), s.conditions(),
                decision, s.compute(), s.epoch(), s.resumeRequestedAt()));
    }
}
