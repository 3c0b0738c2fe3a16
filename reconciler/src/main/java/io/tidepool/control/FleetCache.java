package io.tidepool.control;

import io.tidepool.api.resource.Cell;
import io.tidepool.api.resource.Compute;
import io.tidepool.api.resource.Endpoint;
import io.tidepool.api.resource.Host;
import io.tidepool.api.resource.Kind;
import io.tidepool.api.resource.Migration;
import io.tidepool.reconcile.Informer;
import io.tidepool.registry.ResourceKeys;
import io.tidepool.registry.ResourceRegistry;
import io.tidepool.store.CompactedException;
import io.tidepool.store.Watch;
import io.tidepool.store.WatchCancelledException;
import io.tidepool.store.WatchEvent;
import io.tidepool.switchover.Switchover;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The local copy of the fleet that every controller reads: one informer per kind, all fed by ONE
 * watch of the whole resource tree, so the copy has one revision: every write up to
 * {@link #revision()} is in it, whatever its kind. Controllers need that to reason across kinds
 * (a host's ledger against the computes on it). They decide from the copy and write with compares,
 * so a copy that lags only costs a retry.
 */
public final class FleetCache implements AutoCloseable {
    public static final String BY_CELL = "cell";
    public static final String BY_HOST = "host";
    public static final String BY_ENDPOINT = "endpoint";
    /** Replacement computes by what they replace for ({@code restart}, {@code migration}). */
    public static final String BY_PURPOSE = "purpose";

    private static final List<Kind> DISPATCH_ORDER =
            List.of(Kind.COMPUTE, Kind.MIGRATION, Kind.ENDPOINT, Kind.HOST, Kind.CELL);

    public final Informer<Cell> cells;
    public final Informer<Host> hosts;
    public final Informer<Endpoint> endpoints;
    public final Informer<Compute> computes;
    public final Informer<Migration> migrations;
    private final ResourceRegistry registry;
    private final Map<Kind, Informer<?>> byKind = new EnumMap<>(Kind.class);
    private final Map<Kind, Long> lastChange = new EnumMap<>(Kind.class);
    private Watch watch;
    private volatile long revision;
    private int relists;

    public FleetCache(ResourceRegistry registry) {
        this.registry = registry;
        cells = new Informer<>(registry, Kind.CELL, Cell.class);
        hosts = new Informer<>(registry, Kind.HOST, Host.class);
        endpoints = new Informer<>(registry, Kind.ENDPOINT, Endpoint.class);
        computes = new Informer<>(registry, Kind.COMPUTE, Compute.class);
        migrations = new Informer<>(registry, Kind.MIGRATION, Migration.class);
        hosts.addIndex(BY_CELL, h -> h.spec().cell() == null ? Set.of() : Set.of(h.spec().cell()));
        endpoints.addIndex(BY_CELL, e -> e.spec().cell() == null ? Set.of() : Set.of(e.spec().cell()));
        computes.addIndex(BY_HOST, c -> c.spec().host() == null ? Set.of() : Set.of(c.spec().host()));
        computes.addIndex(BY_ENDPOINT, c -> c.spec().endpoint() == null ? Set.of() : Set.of(c.spec().endpoint()));
        computes.addIndex(BY_PURPOSE, c -> {
            String purpose = c.metadata().labels().get(Switchover.PURPOSE_LABEL);
            return purpose == null ? Set.of() : Set.of(purpose);
        });
        migrations.addIndex(BY_HOST, m -> m.spec().sourceHost() == null ? Set.of() : Set.of(m.spec().sourceHost()));
        for (Informer<?> informer : List.of(cells, hosts, endpoints, computes, migrations)) {
            byKind.put(informer.kind(), informer);
        }
    }

    /** Lists every kind and watches the tree; handlers added before see every stored object as new. */
    public synchronized void start() {
        relist();
    }

    /**
     * Applies the changes the watch has, waiting up to {@code timeout} for the first; returns how
     * many events it applied. Lists again when the watch cannot continue (its history compacted).
     */
    public int pump(Duration timeout) throws InterruptedException {
        Watch current;
        synchronized (this) {
            if (watch == null) {
                relist();
            }
            current = watch;
        }
        List<WatchEvent> events;
        try {
            events = current.poll(timeout);
        } catch (WatchCancelledException | CompactedException e) {
            synchronized (this) {
                relists++;
                relist();
            }
            return 0;
        }
        synchronized (this) {
            dispatch(events);
        }
        return events.size();
    }

    /** Applies every change the watch holds now, without waiting; returns how many events it applied. */
    public int pumpAvailable() throws InterruptedException {
        int total = 0;
        int applied;
        while ((applied = pump(Duration.ZERO)) > 0) {
            total += applied;
        }
        return total;
    }

    /** Every write at or below this revision is in the copy, whatever its kind. */
    public long revision() {
        return revision;
    }

    /**
     * The revision of the latest change of {@code kind} this copy took from its watch (0 before
     * any; a list does not count): another copy of that kind holds at least as much once its own
     * revision reaches this.
     */
    public synchronized long lastChangeOf(Kind kind) {
        return lastChange.getOrDefault(kind, 0L);
    }

    public synchronized int relists() {
        return relists;
    }

    @Override
    public synchronized void close() {
        if (watch != null) {
            watch.close();
            watch = null;
        }
    }

    private void dispatch(List<WatchEvent> events) {
        Map<Kind, List<WatchEvent>> byKindEvents = new EnumMap<>(Kind.class);
        for (WatchEvent event : events) {
            ResourceKeys.parse(event.kv().key()).ifPresent(ref -> {
                if (byKind.containsKey(ref.kind())) {
                    byKindEvents.computeIfAbsent(ref.kind(), k -> new ArrayList<>()).add(event);
                }
            });
        }
        // Computes before hosts: a reader that sees a host's new ledger then sees every compute
        // written with it, so the ledger is never below the computes a reader sees.
        for (Kind kind : DISPATCH_ORDER) {
            List<WatchEvent> kindEvents = byKindEvents.get(kind);
            if (kindEvents != null) {
                byKind.get(kind).accept(kindEvents);
                lastChange.put(kind, kindEvents.get(kindEvents.size() - 1).revision());
            }
        }
        if (!events.isEmpty()) {
            revision = Math.max(revision, events.get(events.size() - 1).revision());
        }
    }

    private void relist() {
        if (watch != null) {
            watch.close();
        }
        // Each kind is listed at its own revision; the watch starts after the oldest of them, and
        // each informer skips what its own list already holds.
        long oldest = Long.MAX_VALUE;
        for (Informer<?> informer : byKind.values()) {
            oldest = Math.min(oldest, informer.listWithoutWatch());
        }
        watch = registry.store().watch(ResourceKeys.ROOT, oldest + 1);
        revision = Math.max(revision, oldest);
    }
}
