package io.tidepool.reconcile;

import io.tidepool.api.resource.Kind;
import io.tidepool.api.resource.Resource;
import io.tidepool.registry.ResourceKeys;
import io.tidepool.registry.ResourceRegistry;
import io.tidepool.store.CompactedException;
import io.tidepool.store.Watch;
import io.tidepool.store.WatchCancelledException;
import io.tidepool.store.WatchEvent;
import java.lang.reflect.Array;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

/**
 * A local copy of every object of one kind, kept current by a store watch, as Kubernetes'
 * informers do. Handlers hear of every change (typically they queue a key); controllers read the
 * copy instead of the store. When the watch falls too far behind or its history was compacted,
 * the informer lists again and tells handlers what changed meanwhile, so nothing is missed.
 * Objects in the copy are immutable records: readers never see one change under them.
 */
public final class Informer<T extends Resource> implements AutoCloseable {
    /** Called with the object before and after a change; {@code before} is null for a new object, {@code after} null for a deleted one. */
    public interface Handler<T> {
        void onChange(T before, T after);
    }

    /** Below this many events, handing the decoding to other threads costs more than it saves. */
    private static final int PARALLEL_DECODE_MIN = 256;

    private final ResourceRegistry registry;
    private final Kind kind;
    private final Class<T> type;
    private final Map<String, T> cache = new ConcurrentHashMap<>();
    private final List<Handler<T>> handlers = new ArrayList<>();
    private final Map<String, Index<T>> indexes = new HashMap<>();
    private Watch watch;
    private volatile long revision;
    private long listedRevision;
    private volatile boolean synced;
    private int relists;

    public Informer(ResourceRegistry registry, Kind kind, Class<T> type) {
        this.registry = registry;
        this.kind = kind;
        this.type = type;
    }

    public Kind kind() {
        return kind;
    }

    /** Adds a handler; handlers run on the thread that calls {@link #pump} and must return quickly. */
    public synchronized void addHandler(Handler<T> handler) {
        handlers.add(handler);
    }

    /** Keeps objects findable by the values {@code keys} gives for them, e.g. computes by host. */
    public synchronized void addIndex(String name, Function<T, Collection<String>> keys) {
        Index<T> index = new Index<>(keys);
        cache.values().forEach(index::add);
        indexes.put(name, index);
    }

    /** Lists the kind and starts watching from the list's revision; handlers see every object as new. */
    public synchronized void start() {
        relist();
    }

    /**
     * Applies the changes the watch has, waiting up to {@code timeout} for the first; returns how
     * many objects changed. Lists again, transparently, when the watch cannot continue.
     */
    public synchronized int pump(Duration timeout) throws InterruptedException {
        if (watch == null) {
            relist();
        }
        List<WatchEvent> events;
        try {
            events = watch.poll(timeout);
        } catch (WatchCancelledException | CompactedException e) {
            return relist();
        }
        accept(events);
        return events.size();
    }

    /**
     * Applies events of this kind that a watch shared by several informers delivered; events at or
     * below the revision the copy already reflects (seen by its list) are skipped.
     */
    public synchronized void accept(List<WatchEvent> events) {
        List<T> decoded = decode(events);
        int prefixLength = ResourceKeys.prefix(kind).length();
        for (int i = 0; i < events.size(); i++) {
            WatchEvent event = events.get(i);
            // One transaction's events share a revision: skip only what the list already held.
            if (event.revision() <= listedRevision) {
                continue;
            }
            apply(event.kv().key().substring(prefixLength), decoded.get(i));
            revision = event.revision();
        }
    }

    /**
     * The objects the events put (null for a delete or a skipped event), in event order. Decoding
     * is most of what following a busy fleet costs and needs nothing shared, so a large batch is
     * decoded on every core; changes are still applied one by one, in order.
     */
    private List<T> decode(List<WatchEvent> events) {
        IntFunction<T> decodeOne = i -> {
            WatchEvent event = events.get(i);
            return event.type() == WatchEvent.Type.PUT && event.revision() > listedRevision
                    ? type.cast(ResourceRegistry.decode(event.kv())) : null;
        };
        IntStream indexes = IntStream.range(0, events.size());
        if (events.size() >= PARALLEL_DECODE_MIN) {
            indexes = indexes.parallel();
        }
        return Arrays.asList(indexes.mapToObj(decodeOne).toArray(n -> newArray(n)));
    }

    @SuppressWarnings("unchecked")
    private T[] newArray(int size) {
        return (T[]) Array.newInstance(type, size);
    }

    /**
     * Lists the kind without watching it, for an owner that feeds this informer from a shared watch
     * through {@link #accept}; handlers hear of what changed since the copy was last current.
     * Returns the revision of the list.
     */
    public synchronized long listWithoutWatch() {
        if (watch != null) {
            watch.close();
            watch = null;
        }
        return listFromStore().revision();
    }

    public Optional<T> get(String name) {
        return Optional.ofNullable(cache.get(name));
    }

    /** Every object, as a live read-only view: iterating it never fails, and sees some recent state. */
    public Collection<T> list() {
        return Collections.unmodifiableCollection(cache.values());
    }

    public int size() {
        return cache.size();
    }

    /** The objects whose index {@code name} gives {@code value}. */
    public List<T> byIndex(String name, String value) {
        Index<T> index;
        synchronized (this) {
            index = indexes.get(name);
        }
        if (index == null) {
            throw new IllegalArgumentException("no index " + name + " on the " + kind.plural() + " informer");
        }
        return index.names(value).stream().map(cache::get).filter(o -> o != null).toList();
    }

    /** The store revision the copy reflects. */
    public long revision() {
        return revision;
    }

    public boolean hasSynced() {
        return synced;
    }

    /** How often the informer had to list again because its watch could not continue. */
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

    private int relist() {
        if (watch != null) {
            watch.close();
            relists++;
        }
        Listed listed = listFromStore();
        watch = registry.store().watch(ResourceKeys.prefix(kind), listed.revision() + 1);
        return listed.changes();
    }

    private record Listed(long revision, int changes) {
    }

    private Listed listFromStore() {
        ResourceRegistry.Page page = registry.list(kind, null, 0);
        Map<String, T> listed = new HashMap<>();
        page.items().forEach(r -> listed.put(r.name(), type.cast(r)));
        int changes = 0;
        for (String name : List.copyOf(cache.keySet())) {
            if (!listed.containsKey(name)) {
                apply(name, null);
                changes++;
            }
        }
        for (T object : listed.values()) {
            T before = cache.get(object.name());
            if (before == null || before.metadata().resourceVersion() != object.metadata().resourceVersion()) {
                apply(object.name(), object);
                changes++;
            }
        }
        revision = page.revision();
        listedRevision = page.revision();
        synced = true;
        return new Listed(page.revision(), changes);
    }

    private void apply(String name, T after) {
        T before = after == null ? cache.remove(name) : cache.put(name, after);
        if (before == null && after == null) {
            return;
        }
        for (Index<T> index : indexes.values()) {
            if (before != null) {
                index.remove(before);
            }
            if (after != null) {
                index.add(after);
            }
        }
        for (Handler<T> handler : handlers) {
            handler.onChange(before, after);
        }
    }

    private static final class Index<T extends Resource> {
        private final Function<T, Collection<String>> keys;
        private final Map<String, Set<String>> names = new ConcurrentHashMap<>();

        Index(Function<T, Collection<String>> keys) {
            this.keys = keys;
        }

        void add(T object) {
            for (String key : keys.apply(object)) {
                names.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).add(object.name());
            }
        }

        void remove(T object) {
            for (String key : keys.apply(object)) {
                Set<String> set = names.get(key);
                if (set != null) {
                    set.remove(object.name());
                    if (set.isEmpty()) {
                        names.remove(key, set);
                    }
                }
            }
        }

        Set<String> names(String key) {
            return Set.copyOf(names.getOrDefault(key, Set.of()));
        }
    }
}
