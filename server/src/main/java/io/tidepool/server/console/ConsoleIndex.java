package io.tidepool.server.console;

import io.tidepool.api.resource.ApplySet;
import io.tidepool.api.resource.Cell;
import io.tidepool.api.resource.Compute;
import io.tidepool.api.resource.Endpoint;
import io.tidepool.api.resource.Event;
import io.tidepool.api.resource.Host;
import io.tidepool.api.resource.Kind;
import io.tidepool.api.resource.Migration;
import io.tidepool.api.resource.Resource;
import io.tidepool.registry.ResourceKeys;
import io.tidepool.registry.ResourceRegistry;
import io.tidepool.store.CompactedException;
import io.tidepool.store.StoreException;
import io.tidepool.store.Watch;
import io.tidepool.store.WatchCancelledException;
import io.tidepool.store.WatchEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the console shows, on every node, kept current by ONE watch of the resource tree: cells,
 * hosts and migrations whole (they are few), endpoints, computes and events as small rows, each
 * decoded once per change rather than once per page view. Lists come out sorted and ready to page.
 * Listeners hear of every batch of changes (the console's live views decide from them what to send).
 * One thread pumps the watch; it lists again when the watch cannot go on, and retries while the
 * store has no leader.
 */
public final class ConsoleIndex implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ConsoleIndex.class);
    private static final List<Kind> KINDS = List.of(Kind.CELL, Kind.HOST, Kind.ENDPOINT, Kind.COMPUTE, Kind.MIGRATION,
            Kind.EVENT, Kind.APPLY_SET);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration RETRY = Duration.ofMillis(500);
    private static final int MAX_CANONICAL_NAMES = 100_000;

    /**
     * One object that changed, with what it belongs to, so a view can tell whether it cares.
     *
     * @param moving a migration, or a compute that is a replacement or a fenced primary
     */
    public record Change(Kind kind, String name, String endpoint, String host, boolean moving) {
        Change(Kind kind, String name, String endpoint, String host) {
            this(kind, name, endpoint, host, kind == Kind.MIGRATION);
        }
    }

    private final ResourceRegistry registry;
    private final Map<String, Cell> cells = new ConcurrentSkipListMap<>();
    private final Map<String, Host> hosts = new ConcurrentSkipListMap<>();
    private final NavigableMap<String, EndpointRow> endpoints = new ConcurrentSkipListMap<>();
    private final ComputeRows computes = new ComputeRows();
    private final Map<String, Migration> migrations = new ConcurrentSkipListMap<>();
    private final Map<String, ApplySet> applySets = new ConcurrentSkipListMap<>();
    private final Map<String, EventRow> eventsByName = new ConcurrentHashMap<>();
    private final NavigableSet<EventRow> events = new ConcurrentSkipListSet<>(EventRow::newestFirst);
    private final Map<String, String> canonicalNames = new ConcurrentHashMap<>();
    private final List<Consumer<List<Change>>> listeners = new CopyOnWriteArrayList<>();
    private final Map<Kind, Long> listedRevision = new ConcurrentHashMap<>();
    private final Thread pump = new Thread(this::pumpForever, "console-index");
    private volatile boolean synced;
    private volatile boolean closed;
    private volatile long revision;
    private Watch watch;

    public ConsoleIndex(ResourceRegistry registry) {
        this.registry = registry;
        pump.setDaemon(true);
    }

    /** Starts following the store in the background; {@link #synced()} says when the first list is in. */
    public ConsoleIndex start() {
        pump.start();
        return this;
    }

    public boolean synced() {
        return synced;
    }

    /** The store revision the index reflects. */
    public long revision() {
        return revision;
    }

    public void addListener(Consumer<List<Change>> listener) {
        listeners.add(listener);
    }

    public void removeListener(Consumer<List<Change>> listener) {
        listeners.remove(listener);
    }

    public Collection<Cell> cells() {
        return cells.values();
    }

    public Collection<Host> hosts() {
        return hosts.values();
    }

    public Optional<Host> host(String name) {
        return Optional.ofNullable(hosts.get(name));
    }

    /** Every endpoint row in name order: a live view, cheap to walk, never failing under changes. */
    public NavigableMap<String, EndpointRow> endpoints() {
        return endpoints;
    }

    public List<ComputeRow> computesOnHost(String host) {
        return computes.onHost(host);
    }

    public List<ComputeRow> computesOfEndpoint(String endpoint) {
        return computes.ofEndpoint(endpoint);
    }

    public Collection<ComputeRow> computes() {
        return computes.all();
    }

    public Collection<Migration> migrations() {
        return migrations.values();
    }

    public Collection<ApplySet> applySets() {
        return applySets.values();
    }

    /** Every event row, newest first. */
    public NavigableSet<EventRow> events() {
        return events;
    }

    private void pumpForever() {
        while (!closed) {
            try {
                if (watch == null) {
                    relist();
                }
                List<WatchEvent> batch = watch.poll(POLL);
                if (!batch.isEmpty()) {
                    tell(apply(batch));
                }
            } catch (WatchCancelledException | CompactedException e) {
                closeWatch();
            } catch (InterruptedException e) {
                return;
            } catch (StoreException | IllegalStateException e) {
                if (closed) {
                    return;
                }
                log.debug("console index waits for the store: {}", e.getMessage());
                closeWatch();
                pause();
            }
        }
    }

    /** Lists every kind and watches the tree from the oldest list on; what changed meanwhile is told. */
    private void relist() {
        List<Change> changes = new ArrayList<>();
        long oldest = Long.MAX_VALUE;
        for (Kind kind : KINDS) {
            ResourceRegistry.Page page = registry.list(kind, null, 0);
            Set<String> listed = new HashSet<>();
            for (Resource resource : page.items()) {
                listed.add(resource.name());
                changes.add(put(resource));
            }
            for (String gone : namesOf(kind)) {
                if (!listed.contains(gone)) {
                    changes.add(remove(kind, gone));
                }
            }
            listedRevision.put(kind, page.revision());
            oldest = Math.min(oldest, page.revision());
        }
        watch = registry.store().watch(ResourceKeys.ROOT, oldest + 1);
        revision = Math.max(revision, oldest);
        synced = true;
        tell(changes);
    }

    private List<Change> apply(List<WatchEvent> batch) {
        List<Change> changes = new ArrayList<>(batch.size());
        for (WatchEvent event : batch) {
            ResourceKeys.Ref ref = ResourceKeys.parse(event.kv().key()).orElse(null);
            // Each kind was listed at its own revision: what its list already held is skipped.
            if (ref == null || !KINDS.contains(ref.kind()) || event.revision() <= listedRevision.getOrDefault(ref.kind(), 0L)) {
                continue;
            }
            changes.add(event.type() == WatchEvent.Type.PUT ? put(ResourceRegistry.decode(event.kv())) : remove(ref.kind(), ref.name()));
        }
        revision = Math.max(revision, batch.get(batch.size() - 1).revision());
        return changes;
    }

    private Change put(Resource resource) {
        String name = resource.name();
        if (resource instanceof Cell cell) {
            cells.put(name, cell);
            return new Change(Kind.CELL, name, null, null);
        } else if (resource instanceof Host host) {
            hosts.put(name, host);
            return new Change(Kind.HOST, name, null, name);
        } else if (resource instanceof Endpoint endpoint) {
            endpoints.put(name, EndpointRow.of(endpoint, this::canonical));
            return new Change(Kind.ENDPOINT, name, name, endpoint.status() == null ? null : endpoint.status().host());
        } else if (resource instanceof Compute compute) {
            ComputeRow row = ComputeRow.of(compute, this::canonical);
            computes.put(row);
            return new Change(Kind.COMPUTE, name, row.endpoint(), row.host(), row.moving());
        } else if (resource instanceof Migration migration) {
            migrations.put(name, migration);
            return new Change(Kind.MIGRATION, name, migration.spec().endpoint(), migration.spec().sourceHost());
        } else if (resource instanceof ApplySet set) {
            applySets.put(name, set);
            return new Change(Kind.APPLY_SET, name, null, null);
        }
        Event event = (Event) resource;
        EventRow row = EventRow.of(event);
        EventRow before = eventsByName.put(name, row);
        if (before != null) {
            events.remove(before);
        }
        events.add(row);
        return new Change(Kind.EVENT, name, null, null);
    }

    private Change remove(Kind kind, String name) {
        switch (kind) {
            case CELL -> cells.remove(name);
            case HOST -> hosts.remove(name);
            case ENDPOINT -> endpoints.remove(name);
            case APPLY_SET -> applySets.remove(name);
            case COMPUTE -> {
                ComputeRow row = computes.remove(name);
                return new Change(kind, name, row == null ? null : row.endpoint(), row == null ? null : row.host(),
                        row != null && row.moving());
            }
            case MIGRATION -> {
                Migration m = migrations.remove(name);
                return new Change(kind, name, m == null ? null : m.spec().endpoint(), m == null ? null : m.spec().sourceHost());
            }
            case EVENT -> {
                EventRow row = eventsByName.remove(name);
                if (row != null) {
                    events.remove(row);
                }
            }
            default -> {
            }
        }
        return new Change(kind, name, kind == Kind.ENDPOINT ? name : null, kind == Kind.HOST ? name : null);
    }

    private Collection<String> namesOf(Kind kind) {
        return switch (kind) {
            case CELL -> List.copyOf(cells.keySet());
            case HOST -> List.copyOf(hosts.keySet());
            case ENDPOINT -> List.copyOf(endpoints.keySet());
            case COMPUTE -> List.copyOf(computes.names());
            case MIGRATION -> List.copyOf(migrations.keySet());
            case EVENT -> List.copyOf(eventsByName.keySet());
            case APPLY_SET -> List.copyOf(applySets.keySet());
        };
    }

    private String canonical(String name) {
        if (name == null) {
            return null;
        }
        // Hosts come and go over months: start afresh rather than keep every name ever seen.
        if (canonicalNames.size() > MAX_CANONICAL_NAMES) {
            canonicalNames.clear();
        }
        return canonicalNames.computeIfAbsent(name, n -> n);
    }

    private void tell(List<Change> changes) {
        if (changes.isEmpty()) {
            return;
        }
        for (Consumer<List<Change>> listener : listeners) {
            try {
                listener.accept(changes);
            } catch (RuntimeException e) {
                log.warn("a console listener failed: {}", e.toString());
            }
        }
    }

    private void closeWatch() {
        if (watch != null) {
            watch.close();
            watch = null;
        }
    }

    private void pause() {
        try {
            Thread.sleep(RETRY.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        pump.interrupt();
        try {
            pump.join(Duration.ofSeconds(5).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeWatch();
    }
}
