package io.tidepool.migration;

import io.tidepool.api.quantity.Bytes;
import io.tidepool.api.quantity.Cu;
import io.tidepool.api.resource.Cell;
import io.tidepool.api.resource.Compute;
import io.tidepool.api.resource.Endpoint;
import io.tidepool.api.resource.Host;
import io.tidepool.api.resource.Migration;
import io.tidepool.api.resource.ObjectMeta;
import io.tidepool.capacity.HostCapacity;
import io.tidepool.capacity.HostRoom;
import io.tidepool.capacity.Ledger;
import io.tidepool.control.FleetCache;
import io.tidepool.endpoint.ClientAddresses;
import io.tidepool.reconcile.Reconciler;
import io.tidepool.reconcile.Result;
import io.tidepool.registry.ResourceTxn;
import io.tidepool.store.Store;
import io.tidepool.store.TxnResult;
import io.tidepool.switchover.Switchover;
import io.tidepool.telemetry.Telemetry;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sheds computes off the hosts of one cell (the key) that are above their watermark. Each move is a
 * Migration object plus a replacement on the target, created with the target's ledger raised in one
 * transaction; once the replacement is warm the endpoint switches to it ({@link Switchover}) and the
 * source's CU is released by the ledger sync. Moves in flight are advanced before new ones are
 * planned, so the plan counts what they already take away. Each start and each end, once
 * committed, goes to a {@link MigrationObserver}.
 */
public final class MigrationReconciler implements Reconciler<String> {
    private static final Duration RETRY_AFTER_CONFLICT = Duration.ofMillis(50);
    private static final Duration WAIT_FOR_CACHE = Duration.ofMillis(10);

    private final FleetCache cache;
    private final Store store;
    private final Telemetry telemetry;
    private final InstantSource clock;
    private final MigrationSettings settings;
    private final Map<String, MigrationPlan> lastPlans = new ConcurrentHashMap<>();
    private final MigrationObserver observer;
    private final ClientAddresses addresses;
    /** The revision of this controller's latest write: it never plans from a cache that does not hold it yet. */
    private final AtomicLong writtenRevision = new AtomicLong();

    public MigrationReconciler(FleetCache cache, Store store, Telemetry telemetry, InstantSource clock,
                               MigrationSettings settings) {
        this(cache, store, telemetry, clock, settings, MigrationObserver.NONE);
    }

    public MigrationReconciler(FleetCache cache, Store store, Telemetry telemetry, InstantSource clock,
                               MigrationSettings settings, MigrationObserver observer) {
        this(cache, store, telemetry, clock, settings, observer, ClientAddresses.NONE);
    }

    /** @param addresses the endpoints' stable addresses, which a move keeps */
    public MigrationReconciler(FleetCache cache, Store store, Telemetry telemetry, InstantSource clock,
                               MigrationSettings settings, MigrationObserver observer, ClientAddresses addresses) {
        this.addresses = addresses;
        this.cache = cache;
        this.store = store;
        this.telemetry = telemetry;
        this.clock = clock;
        this.settings = settings;
        this.observer = observer;
    }

    /** The cell's latest plan, with the hosts that stay above their watermark and why (for describe). */
    public Optional<MigrationPlan> lastPlan(String cell) {
        return Optional.ofNullable(lastPlans.get(cell));
    }

    @Override
    public Result reconcile(String cellName) {
        Cell cell = cache.cells.get(cellName).orElse(null);
        if (cell == null) {
            lastPlans.remove(cellName);
            return Result.done();
        }
        if (cache.revision() < writtenRevision.get()) {
            return Result.after(WAIT_FOR_CACHE);
        }
        Instant now = clock.instant();
        List<Host> hosts = cache.hosts.byIndex(FleetCache.BY_CELL, cellName);
        Next next = new Next(now);
        List<Migration> active = new ArrayList<>();
        for (Host host : hosts) {
            for (Migration migration : cache.migrations.byIndex(FleetCache.BY_HOST, host.name())) {
                if (finished(migration)) {
                    forgetIfExpired(migration, now, next);
                } else if (advance(migration, cell, now, next)) {
                    active.add(migration);
                }
            }
        }
        if (next.switched) {
            // The switch frees room on its source, which this pass's copy of the fleet does not show
            // yet: planning now would move more than the host needs. Look again once the cache has it.
            next.at(now);
        } else if (!next.conflict) {
            plan(cell, hosts, active, now, next);
        }
        return next.result();
    }

    /** Moves one migration forward; true while it is still under way. */
    private boolean advance(Migration migration, Cell cell, Instant now, Next next) {
        Migration.Spec spec = migration.spec();
        Endpoint endpoint = cache.endpoints.get(spec.endpoint()).orElse(null);
        Compute primary = cache.computes.get(spec.compute()).orElse(null);
        Compute replacement = cache.computes.get(spec.replacement()).orElse(null);
        Migration.Status status = migration.status();
        boolean claimed = endpoint != null && endpoint.status() != null && spec.compute().equals(endpoint.status().compute());
        if (primary == null || replacement == null || !claimed) {
            MigrationEnd end = endpoint == null ? MigrationEnd.ENDPOINT_DELETED
                    : primary == null || !claimed ? MigrationEnd.PRIMARY_GONE : MigrationEnd.REPLACEMENT_LOST;
            String gone = switch (end) {
                case ENDPOINT_DELETED -> "the endpoint was deleted";
                case PRIMARY_GONE -> spec.compute() + " is no longer the endpoint's primary (suspended, evicted or replaced)";
                default -> "the replacement " + spec.replacement() + " is gone (its host failed)";
            };
            finish(migration, fail(migration, claimed ? primary : null, replacement, gone, now), end, now, next);
            return false;
        }
        Instant deadline = status.startedAt().plus(settings.timeout());
        if (primary.spec().role() == Compute.Role.fenced) {
            if (Switchover.stopped(primary)) {
                complete(migration, cell, endpoint, primary, replacement, now, next);
                return false;
            }
            if (!now.isBefore(deadline)) {
                finish(migration, fail(migration, primary, replacement, spec.sourceHost() + " did not confirm that "
                        + spec.compute() + " stopped within " + seconds(status.startedAt(), now), now),
                        MigrationEnd.STOP_TIMEOUT, now, next);
                return false;
            }
            next.at(deadline);
            return true;
        }
        if (Switchover.ready(replacement)) {
            ResourceTxn txn = new ResourceTxn();
            Switchover.fence(txn, primary);
            txn.update(migration, migration.withStatus(new Migration.Status(Migration.Phase.Switching, status.startedAt(),
                    now, null, "replacement warm; waiting for " + spec.sourceHost() + " to stop " + spec.compute())));
            next.write(txn);
            next.at(deadline);
            return true;
        }
        if (!now.isBefore(deadline)) {
            finish(migration, fail(migration, primary, replacement, "the replacement " + replacement.name() + " was not warm after "
                    + seconds(status.startedAt(), now), now), MigrationEnd.WARM_TIMEOUT, now, next);
            return false;
        }
        Migration.Phase phase = replacement.status() == null ? Migration.Phase.Pending : Migration.Phase.Copying;
        if (phase != status.phase()) {
            next.write(new ResourceTxn().update(migration, migration.withStatus(new Migration.Status(phase,
                    status.startedAt(), null, null, phase == Migration.Phase.Copying
                    ? "replacement " + replacement.name() + " starting and warming on " + spec.targetHost()
                    : "waiting for " + spec.targetHost() + " to start " + replacement.name()))));
        }
        next.at(deadline);
        return true;
    }

    private void complete(Migration migration, Cell cell, Endpoint endpoint, Compute primary, Compute replacement,
                          Instant now, Next next) {
        Migration.Spec spec = migration.spec();
        Migration.Status status = migration.status();
        ResourceTxn txn = new ResourceTxn();
        Host target = cache.hosts.get(spec.targetHost()).orElse(null);
        Cu cu = Switchover.complete(txn, endpoint, primary, replacement, target, cell, endpoint.status().conditions(),
                addresses);
        Instant warmAt = status.warmAt() == null ? now : status.warmAt();
        txn.update(migration, migration.withStatus(new Migration.Status(Migration.Phase.Succeeded, status.startedAt(),
                warmAt, now, "switched to " + replacement.name() + " (" + cu + " CU) on " + spec.targetHost()
                + " after " + seconds(status.startedAt(), now) + "; " + spec.sourceHost() + " releases "
                + Ledger.holds(primary) + " CU")));
        if (finish(migration, txn, MigrationEnd.SUCCEEDED, now, next)) {
            next.switched = true;
        }
    }

    /** Writes a migration's end and, once it is committed, reports it. */
    private boolean finish(Migration migration, ResourceTxn txn, MigrationEnd end, Instant now, Next next) {
        if (next.write(txn)) {
            observer.finished(MigrationObserver.OVER_WATERMARK, end, Duration.between(migration.status().startedAt(), now));
            return true;
        }
        return false;
    }

    /**
     * Ends a migration that cannot finish: its replacement goes, and a primary it had fenced serves
     * again ({@code primary} is given only while the endpoint still claims it).
     */
    private static ResourceTxn fail(Migration migration, Compute primary, Compute replacement, String why, Instant now) {
        Migration.Status status = migration.status();
        ResourceTxn txn = new ResourceTxn().update(migration, migration.withStatus(new Migration.Status(
                Migration.Phase.Failed, status.startedAt(), status.warmAt(), now, why)));
        if (replacement != null) {
            txn.delete(replacement);
        }
        if (primary != null && primary.spec().role() == Compute.Role.fenced) {
            Switchover.unfence(txn, primary);
        }
        return txn;
    }

    private void forgetIfExpired(Migration migration, Instant now, Next next) {
        Instant finishedAt = migration.status().finishedAt() == null ? now : migration.status().finishedAt();
        Instant expires = finishedAt.plus(settings.retention());
        if (now.isBefore(expires)) {
            next.at(expires);
        } else {
            next.write(new ResourceTxn().delete(migration));
        }
    }

    private void plan(Cell cell, List<Host> hosts, List<Migration> active, Instant now, Next next) {
        List<HostRoom> rooms = new ArrayList<>(hosts.size());
        Map<String, Host> byName = new HashMap<>();
        for (Host host : hosts) {
            rooms.add(sheddingRoom(host, cell));
            byName.put(host.name(), host);
        }
        if (rooms.stream().noneMatch(HostRoom::aboveWatermark)) {
            lastPlans.remove(cell.name());
            return;
        }
        List<MigrationInFlight> inFlight = new ArrayList<>();
        Set<String> moving = new HashSet<>();
        Map<String, Integer> outbound = new HashMap<>();
        for (Migration m : active) {
            Cu cu = cache.computes.get(m.spec().replacement()).map(Ledger::holds).orElse(Cu.ZERO);
            inFlight.add(new MigrationInFlight(m.spec().compute(), m.spec().sourceHost(), m.spec().targetHost(), cu));
            moving.add(m.spec().compute());
            outbound.merge(m.spec().sourceHost(), 1, Integer::sum);
        }
        // The planner looks at candidates only on hosts with a free slot in a cell with one; on a big
        // cell that sheds all the time the slots are mostly taken, and listing every compute of every
        // full host would be most of what a reconcile costs.
        boolean cellHasSlots = inFlight.size() < settings.limits().perCell();
        Map<String, List<MigrationCandidate>> candidates = new HashMap<>();
        for (HostRoom room : rooms) {
            if (room.aboveWatermark() && cellHasSlots
                    && outbound.getOrDefault(room.host(), 0) < settings.limits().perHost()) {
                candidates.put(room.host(), candidatesOn(room.host(), moving));
            }
        }
        MigrationPlan plan = MigrationPlanner.plan(new MigrationInput(rooms, candidates, inFlight, settings.limits()));
        lastPlans.put(cell.name(), plan);
        for (MigrationPlan.Move move : plan.moves()) {
            start(cell, move, byName.get(move.target()), now, next);
        }
    }

    /**
     * The host as shedding sees it. The ledger lowers a host's allocation only after its computes
     * shrank or left (decreases are written late), so a host that a switch just relieved still
     * reads as full: above its watermark by the ledger, it is judged by what its computes hold.
     * Moving to it still goes through admission, against the ledger.
     */
    private HostRoom sheddingRoom(Host host, Cell cell) {
        HostRoom room = HostCapacity.roomOf(host, cell);
        if (!room.aboveWatermark()) {
            return room;
        }
        Cu held = Ledger.sum(cache.computes.byIndex(FleetCache.BY_HOST, host.name()));
        return held.compareTo(room.allocated()) < 0 ? room.withAllocated(held) : room;
    }

    private List<MigrationCandidate> candidatesOn(String host, Set<String> moving) {
        List<MigrationCandidate> candidates = new ArrayList<>();
        for (Compute compute : cache.computes.byIndex(FleetCache.BY_HOST, host)) {
            if (compute.spec().role() != Compute.Role.primary) {
                continue;
            }
            boolean running = compute.status() != null && compute.status().phase() == Compute.Phase.Running;
            List<Compute> siblings = cache.computes.byIndex(FleetCache.BY_ENDPOINT, compute.spec().endpoint());
            boolean restarting = Switchover.replacementOf(siblings, Switchover.Purpose.restart).isPresent();
            Bytes used = telemetry.latest(compute.name()).map(m -> new Bytes(m.memoryUsedBytes())).orElse(null);
            candidates.add(MigrationCandidate.of(compute.name(), compute.spec().endpoint(), Ledger.holds(compute), used,
                    MigrationCandidate.movable(running, restarting, moving.contains(compute.name()))));
        }
        return candidates;
    }

    private void start(Cell cell, MigrationPlan.Move move, Host target, Instant now, Next next) {
        Endpoint endpoint = cache.endpoints.get(move.endpoint()).orElse(null);
        Compute primary = cache.computes.get(move.compute()).orElse(null);
        if (endpoint == null || primary == null || target == null) {
            next.conflict = true;
            return;
        }
        long epoch = Switchover.nextEpoch(endpoint, cache.computes.byIndex(FleetCache.BY_ENDPOINT, endpoint.name()));
        ResourceTxn txn = new ResourceTxn().expectUnchanged(primary);
        Optional<Compute> replacement = Switchover.start(txn, endpoint, epoch, target, cell, move.cu(),
                primary.spec().postgres(), Switchover.Purpose.migration, now);
        if (replacement.isEmpty()) {
            next.conflict = true;
            return;
        }
        txn.create(new Migration(ObjectMeta.named(endpoint.name() + "-move-" + epoch).withCreationTimestamp(now),
                new Migration.Spec(endpoint.name(), primary.name(), replacement.get().name(), move.source(),
                        move.target(), move.explanation()),
                new Migration.Status(Migration.Phase.Pending, now, null, null,
                        "waiting for " + move.target() + " to start " + replacement.get().name())));
        if (next.write(txn)) {
            observer.started(MigrationObserver.OVER_WATERMARK);
        }
        next.at(now.plus(settings.timeout()));
    }

    private static boolean finished(Migration migration) {
        Migration.Phase phase = migration.status() == null ? null : migration.status().phase();
        return phase == Migration.Phase.Succeeded || phase == Migration.Phase.Failed;
    }

    private static String seconds(Instant from, Instant to) {
        return Duration.between(from, to).toSeconds() + "s";
    }

    /** What one reconcile wrote and when the cell must be looked at again. */
    private final class Next {
        private final Instant now;
        private Instant at;
        private boolean conflict;
        /** Whether a migration switched in this pass. */
        private boolean switched;

        Next(Instant now) {
            this.now = now;
        }

        void at(Instant instant) {
            at = at == null || instant.isBefore(at) ? instant : at;
        }

        /** Whether the write was committed; a failed compare makes the cell be looked at again soon. */
        boolean write(ResourceTxn txn) {
            TxnResult result = store.txn(txn.toTxn());
            if (result.succeeded()) {
                writtenRevision.accumulateAndGet(result.revision(), Math::max);
                return true;
            }
            conflict = true;
            return false;
        }

        Result result() {
            if (conflict) {
                return Result.after(RETRY_AFTER_CONFLICT);
            }
            return at == null ? Result.done() : Result.after(Duration.between(now, at).plusMillis(1));
        }
    }
}
