package io.tidepool.store.memory;

import io.tidepool.store.CompactedException;
import io.tidepool.store.Compare;
import io.tidepool.store.KeyOrder;
import io.tidepool.store.KeyValue;
import io.tidepool.store.Leadership;
import io.tidepool.store.Limits;
import io.tidepool.store.Op;
import io.tidepool.store.RangeResult;
import io.tidepool.store.Store;
import io.tidepool.store.StoreException;
import io.tidepool.store.Txn;
import io.tidepool.store.TxnResult;
import io.tidepool.store.Watch;
import io.tidepool.store.WatchEvent;
import io.tidepool.store.watch.HistoryPage;
import io.tidepool.store.watch.WatchHub;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A {@link Store} held in memory: one lock, no replication, always the leader. It passes the same
 * contract suite as the replicated store, so code above the store can be tested fast against it.
 * Values are copied on the way in and out; events handed to watches share their values, which
 * consumers must not modify.
 */
public final class InMemoryStore implements Store {
    private final NavigableMap<String, KeyValue> data = new TreeMap<>(KeyOrder.COMPARATOR);
    private final NavigableMap<Long, List<WatchEvent>> changes = new TreeMap<>();
    private final WatchHub hub;
    private long revision;
    private long firstWatchableRevision = 1;
    private boolean closed;

    public InMemoryStore() {
        this(Watch.MAX_BUFFERED_EVENTS);
    }

    /** @param watchBufferedEventsMax live events one watch may have waiting before it is cancelled */
    public InMemoryStore(int watchBufferedEventsMax) {
        this.hub = new WatchHub(this::readHistory, 0, watchBufferedEventsMax);
    }

    @Override
    public synchronized Optional<KeyValue> get(String key) {
        Limits.checkKey(key);
        checkOpen();
        return Optional.ofNullable(data.get(key)).map(InMemoryStore::copy);
    }

    @Override
    public synchronized RangeResult range(String prefix, String startAfter, int limit) {
        Limits.checkRange(prefix, startAfter, limit);
        checkOpen();
        boolean fromPrefix = startAfter == null || KeyOrder.compare(startAfter, prefix) < 0;
        NavigableMap<String, KeyValue> tail = fromPrefix ? data.tailMap(prefix, true) : data.tailMap(startAfter, false);
        List<KeyValue> items = new ArrayList<>();
        for (KeyValue kv : tail.values()) {
            if (!kv.key().startsWith(prefix)) {
                break;
            }
            if (limit > 0 && items.size() == limit) {
                return new RangeResult(items, revision, true);
            }
            items.add(copy(kv));
        }
        return new RangeResult(items, revision, false);
    }

    @Override
    public synchronized TxnResult txn(Txn txn) {
        Limits.checkTxn(txn);
        checkOpen();
        boolean succeeded = txn.compares().stream().allMatch(this::holds);
        long writeRevision = revision + 1;
        List<WatchEvent> events = new ArrayList<>();
        for (Op op : succeeded ? txn.success() : txn.failure()) {
            apply(op, writeRevision, events);
        }
        if (events.isEmpty()) {
            return new TxnResult(succeeded, revision);
        }
        revision = writeRevision;
        changes.put(revision, List.copyOf(events));
        hub.publish(revision, events);
        return new TxnResult(succeeded, revision);
    }

    private boolean holds(Compare compare) {
        return compare.holdsFor(data.get(compare.key()));
    }

    private void apply(Op op, long writeRevision, List<WatchEvent> events) {
        KeyValue existing = data.get(op.key());
        if (op instanceof Op.Put put) {
            KeyValue kv = existing == null
                    ? new KeyValue(put.key(), put.value().clone(), writeRevision, writeRevision, 1)
                    : new KeyValue(put.key(), put.value().clone(), existing.createRevision(), writeRevision,
                            existing.version() + 1);
            data.put(kv.key(), kv);
            events.add(new WatchEvent(WatchEvent.Type.PUT, kv));
        } else if (existing != null) {
            data.remove(op.key());
            events.add(new WatchEvent(WatchEvent.Type.DELETE,
                    new KeyValue(op.key(), null, existing.createRevision(), writeRevision, 0)));
        }
    }

    @Override
    public synchronized long currentRevision() {
        checkOpen();
        return revision;
    }

    @Override
    public synchronized Watch watch(String prefix, long fromRevision) {
        Limits.checkPrefix(prefix);
        Limits.checkRevision(fromRevision);
        checkOpen();
        long from = fromRevision == 0 ? revision + 1 : fromRevision;
        if (from < firstWatchableRevision) {
            throw new CompactedException(from, firstWatchableRevision);
        }
        return hub.open(prefix, from);
    }

    @Override
    public synchronized void compact(long revision) {
        Limits.checkRevision(revision);
        checkOpen();
        if (revision > this.revision) {
            throw new StoreException("cannot compact at revision " + revision + ": the store is at revision "
                    + this.revision);
        }
        if (revision > firstWatchableRevision) {
            changes.headMap(revision).clear();
            firstWatchableRevision = revision;
        }
    }

    @Override
    public synchronized long firstWatchableRevision() {
        checkOpen();
        return firstWatchableRevision;
    }

    @Override
    public Leadership leadership() {
        return AlwaysLeader.INSTANCE;
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        hub.close("store closed");
    }

    private synchronized HistoryPage readHistory(String prefix, long fromRevision, long toRevision, int maxEvents) {
        checkOpen();
        if (fromRevision < firstWatchableRevision) {
            throw new CompactedException(fromRevision, firstWatchableRevision);
        }
        List<WatchEvent> events = new ArrayList<>();
        long next = toRevision + 1;
        for (Map.Entry<Long, List<WatchEvent>> entry : changes.subMap(fromRevision, true, toRevision, true).entrySet()) {
            for (WatchEvent event : entry.getValue()) {
                if (event.kv().key().startsWith(prefix)) {
                    events.add(event);
                }
            }
            if (events.size() >= maxEvents) {
                next = entry.getKey() + 1;
                break;
            }
        }
        return new HistoryPage(events, next);
    }

    private void checkOpen() {
        if (closed) {
            throw new StoreException("store is closed");
        }
    }

    private static KeyValue copy(KeyValue kv) {
        return new KeyValue(kv.key(), kv.value().clone(), kv.createRevision(), kv.modRevision(), kv.version());
    }
}
