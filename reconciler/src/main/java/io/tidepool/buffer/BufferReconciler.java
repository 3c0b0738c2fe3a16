package io.tidepool.buffer;

import io.tidepool.api.resource.Cell;
import io.tidepool.api.resource.Host;
import io.tidepool.api.resource.ObjectMeta;
import io.tidepool.capacity.Ledger;
import io.tidepool.control.FleetCache;
import io.tidepool.reconcile.Backoff;
import io.tidepool.reconcile.Reconciler;
import io.tidepool.reconcile.Result;
import io.tidepool.registry.ResourceTxn;
import io.tidepool.store.Store;
import io.tidepool.store.TxnResult;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the buffer of one cell (the key): reads its hosts from the cache, collects what the
 * provider has finished, decides with {@link BufferPolicy}, asks for hosts or gives empty ones back,
 * and writes the cell's status (hosts, capacity, allocation, spare, conditions) when it changed.
 * A cell without a provider (static) gets only the status.
 *
 * <p>Requests in flight are soft state of the term ({@link ProvisioningState}). Losing them at a
 * failover is safe but may cost hosts: the new leader does not know what the old one asked for, so
 * it may ask again, and the provider then makes more than needed. Those extra hosts are still
 * collected (a poll reports every outcome, whoever asked), written into the cell if it stays within
 * {@code maxHosts} or given back at once if not, and surplus empty hosts go back after the
 * cool-down. This relies on the provider reporting outcomes to whoever polls; a provider that
 * answers only the session that asked would leak hosts, and would need the request ids kept in the
 * store before asking.
 */
public final class BufferReconciler implements Reconciler<String> {
    /** Label on a host a provider made; its value is the provider's type. Only such hosts are ever given back. */
    public static final String PROVIDER_LABEL = "tidepool.io/provider";
    /** Annotation on a host a provider made: the request it answered, to trace a host to its request. */
    public static final String REQUEST_ANNOTATION = "tidepool.io/provider-request";

    private static final Logger log = LoggerFactory.getLogger(BufferReconciler.class);
    private static final Duration RETRY_AFTER_CONFLICT = Duration.ofMillis(50);
    /** A fallback only: the change event of the host just written queues the cell as soon as the cache has it. */
    private static final Duration CACHE_CATCH_UP = Duration.ofMillis(50);

    /**
     * @param coolDown       how long a host stays empty before it may be given back
     * @param requestBackoff how long to wait before asking a failing provider again
     * @param pollInterval   how often the provider is polled while it owes an answer
     * @param joinTimeout    how long a new host may take to become ready before it no longer counts as coming
     */
    public record Settings(Duration coolDown, Backoff requestBackoff, Duration pollInterval, Duration joinTimeout) {
        public static final Settings DEFAULT = new Settings(Duration.ofMinutes(15), BufferInput.DEFAULT_REQUEST_BACKOFF,
                Duration.ofSeconds(10), Duration.ofMinutes(10));

        public Settings {
            if (coolDown.isNegative() || notPositive(pollInterval) || notPositive(joinTimeout)) {
                throw new IllegalArgumentException("buffer settings need a cool-down >= 0 and a positive poll interval and"
                        + " join timeout, got " + coolDown + ", " + pollInterval + ", " + joinTimeout);
            }
        }

        private static boolean notPositive(Duration d) {
            return d.isNegative() || d.isZero();
        }
    }

    private final FleetCache cache;
    private final Store store;
    private final HostProviders providers;
    private final InstantSource clock;
    private final Settings settings;
    private final Map<String, ProvisioningState> states = new ConcurrentHashMap<>();
    private final Map<String, BufferDecision> latest = new ConcurrentHashMap<>();
    /** Providers need not be thread-safe (the simulated one is not); calls to them are short, so one lock serves all. */
    private final Object providerCalls = new Object();

    public BufferReconciler(FleetCache cache, Store store, HostProviders providers, InstantSource clock, Settings settings) {
        this.cache = cache;
        this.store = store;
        this.providers = providers;
        this.clock = clock;
        this.settings = settings;
    }

    /** The latest decision for the cell, for describe. */
    public Optional<BufferDecision> lastDecision(String cell) {
        return Optional.ofNullable(latest.get(cell));
    }

    static boolean madeByProvider(Host host) {
        return host.metadata().labels().containsKey(PROVIDER_LABEL);
    }

    @Override
    public Result reconcile(String cellName) {
        Cell cell = cache.cells.get(cellName).orElse(null);
        if (cell == null) {
            // Outcomes still owed to a deleted cell are given back when they arrive (see collect).
            states.remove(cellName);
            latest.remove(cellName);
            return Result.done();
        }
        Instant now = clock.instant();
        ProvisioningState state = states.computeIfAbsent(cellName, c -> new ProvisioningState());
        HostProvider provider = providerOf(cell).orElse(null);
        if (provider != null) {
            collect(provider, now);
        }
        if (state.cacheBehind(cache.revision())) {
            return Result.after(CACHE_CATCH_UP);
        }
        if (provider != null) {
            if (join(cell, state, provider, now)) {
                return Result.after(CACHE_CATCH_UP);
            }
            retryReleases(state, provider, now);
        }
        CellHosts hosts = CellHosts.read(cache, cell, state, provider != null, settings.joinTimeout(), now);
        BufferDecision decision = BufferPolicy.decide(hosts.input(state, settings), now);
        if (provider != null && request(cell, decision, state, provider, now)) {
            // What the cell reports includes the requests just made, or the provider's refusal.
            decision = BufferPolicy.decide(hosts.input(state, settings), now);
        }
        latest.put(cellName, decision);
        if (provider != null && !release(cell, decision, state, provider, now)) {
            return Result.after(RETRY_AFTER_CONFLICT);
        }
        if (state.cacheBehind(cache.revision())) {
            // Hosts were given back: the status is written once the cache no longer shows them.
            return Result.after(CACHE_CATCH_UP);
        }
        boolean written = writeStatus(cell, hosts.status(decision, provider != null));
        return next(decision, hosts, state, provider != null, !written);
    }

    private Optional<HostProvider> providerOf(Cell cell) {
        if (cell.spec().provider().type() == Cell.ProviderType.STATIC) {
            return Optional.empty();
        }
        return providers.forCell(cell);
    }

    /** Polls the provider and hands each outcome to the cell it is for; outcomes for cells that are gone are given back. */
    private void collect(HostProvider provider, Instant now) {
        List<ProvisionOutcome> outcomes;
        synchronized (providerCalls) {
            outcomes = provider.poll(now);
        }
        for (ProvisionOutcome outcome : outcomes) {
            if (cache.cells.get(outcome.cell()).isEmpty()) {
                if (outcome instanceof ProvisionOutcome.Provisioned made) {
                    log.info("giving back {}: its cell {} is gone", made.host(), made.cell());
                    giveBack(made.host(), null, provider, now);
                }
                continue;
            }
            states.computeIfAbsent(outcome.cell(), c -> new ProvisioningState()).answered(outcome);
        }
    }

    /**
     * Writes the hosts the provider made into the cell; returns whether anything was written. A host
     * nobody in this term asked for (an earlier leader did) is given back if it would take the cell
     * past {@code maxHosts}, which this term's requests are already counted against.
     */
    private boolean join(Cell cell, ProvisioningState state, HostProvider provider, Instant now) {
        List<ProvisioningState.Arrival> arrivals = state.arrivals();
        if (arrivals.isEmpty()) {
            return false;
        }
        int room = cell.spec().maxHosts() - cache.hosts.byIndex(FleetCache.BY_CELL, cell.name()).size() - state.unanswered();
        boolean wrote = false;
        for (ProvisioningState.Arrival arrival : arrivals) {
            ProvisionOutcome.Provisioned made = arrival.outcome();
            if (!arrival.requestedThisTerm() && room <= 0 && cache.hosts.get(made.host()).isEmpty()) {
                log.info("{}: giving back {}, which an earlier leader asked for: the cell is at maxHosts {}",
                        cell.name(), made.host(), cell.spec().maxHosts());
                giveBack(made.host(), state, provider, now);
                state.joined(made.host());
                continue;
            }
            room--;
            Host host = new Host(ObjectMeta.named(made.host()).withCreationTimestamp(now)
                    .withLabels(Map.of(PROVIDER_LABEL, cell.spec().provider().type().text()))
                    .withAnnotations(Map.of(REQUEST_ANNOTATION, made.requestId())),
                    new Host.Spec(cell.name(), made.shape(), false), null);
            TxnResult result = store.txn(new ResourceTxn().create(host).toTxn());
            // Not written means the host exists already: an earlier leader wrote it before it died.
            if (result.succeeded()) {
                state.wrote(result.revision());
                wrote = true;
                log.info("{}: {} joins, made by the provider for {}", cell.name(), made.host(), made.requestId());
            }
            state.joined(made.host());
        }
        return wrote;
    }

    /** Asks for the hosts the decision wants; returns whether the provider was asked at all. */
    private boolean request(Cell cell, BufferDecision decision, ProvisioningState state, HostProvider provider, Instant now) {
        if (decision.hostsToRequest() == 0 || cell.spec().hostTemplate() == null) {
            return false;
        }
        log.info("{}: {}", cell.name(), decision.explanation());
        for (int i = 0; i < decision.hostsToRequest(); i++) {
            ProviderReply reply;
            try {
                synchronized (providerCalls) {
                    reply = provider.request(cell.name(), cell.spec().hostTemplate(), now);
                }
            } catch (RuntimeException e) {
                reply = new ProviderReply.Refused(e.toString());
            }
            if (reply instanceof ProviderReply.Refused refused) {
                log.warn("{}: the provider refused a host: {}", cell.name(), refused.reason());
                state.refused(now, refused.reason());
                break;
            }
            state.accepted(((ProviderReply.Accepted) reply).requestId());
        }
        return true;
    }

    /**
     * Deletes the hosts the decision gives back, then tells the provider. The delete compares the
     * host unchanged: every placement and every grant on a host rewrites its ledger in the same
     * transaction, so an unchanged host has had no compute assigned since the cache showed it empty.
     * Returns false when a host changed meanwhile.
     */
    private boolean release(Cell cell, BufferDecision decision, ProvisioningState state, HostProvider provider, Instant now) {
        if (decision.hostsToRelease().isEmpty()) {
            return true;
        }
        log.info("{}: {}", cell.name(), decision.explanation());
        boolean allDeleted = true;
        for (String name : decision.hostsToRelease()) {
            Host host = cache.hosts.get(name).orElse(null);
            if (host == null || !madeByProvider(host) || !Ledger.allocated(host).isZero()
                    || !cache.computes.byIndex(FleetCache.BY_HOST, name).isEmpty()) {
                continue;
            }
            TxnResult result = store.txn(new ResourceTxn().delete(host).toTxn());
            if (!result.succeeded()) {
                allDeleted = false;
                continue;
            }
            state.wrote(result.revision());
            giveBack(name, state, provider, now);
        }
        return allDeleted;
    }

    private void retryReleases(ProvisioningState state, HostProvider provider, Instant now) {
        for (String host : state.releasesToRetry()) {
            giveBack(host, state, provider, now);
        }
    }

    /** Tells the provider it may have the host back; remembered and tried again while it cannot be reached. */
    private void giveBack(String host, ProvisioningState state, HostProvider provider, Instant now) {
        boolean done;
        try {
            synchronized (providerCalls) {
                done = provider.release(host, now);
            }
        } catch (RuntimeException e) {
            log.warn("releasing {} failed: {}", host, e.toString());
            done = false;
        }
        if (state != null) {
            if (done) {
                state.released(host);
            } else {
                state.releaseFailed(host);
            }
        }
    }

    /** Writes the cell's status if it changed; false when the cell changed meanwhile. */
    private boolean writeStatus(Cell cell, Cell.Status status) {
        if (status.equals(cell.status())) {
            return true;
        }
        return store.txn(new ResourceTxn().update(cell, cell.withStatus(status)).toTxn()).succeeded();
    }

    private Result next(BufferDecision decision, CellHosts hosts, ProvisioningState state, boolean provided, boolean conflict) {
        if (conflict) {
            return Result.after(RETRY_AFTER_CONFLICT);
        }
        if (!provided) {
            return Result.done();
        }
        Duration next = earliest(decision.recheckAfter(), hosts.untilJoinTimeout());
        if (state.waitingOnProvider()) {
            next = earliest(next, settings.pollInterval());
        }
        return next == null ? Result.done() : Result.after(next);
    }

    private static Duration earliest(Duration a, Duration b) {
        if (a == null) {
            return b;
        }
        return b == null || a.compareTo(b) <= 0 ? a : b;
    }
}
