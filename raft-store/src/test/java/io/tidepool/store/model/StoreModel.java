package io.tidepool.store.model;

import io.tidepool.store.Compare;
import io.tidepool.store.KeyValue;
import io.tidepool.store.Op;
import io.tidepool.store.RangeResult;
import io.tidepool.store.Txn;
import io.tidepool.store.TxnResult;
import io.tidepool.store.WatchEvent;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The store's semantics written as plainly as possible, independent of every implementation: what
 * the property tests compare results against. Keys are ASCII, so plain string order is key order.
 */
final class StoreModel {
    private final TreeMap<String, KeyValue> data = new TreeMap<>();
    private final List<WatchEvent> history = new ArrayList<>();
    private long revision;
    private long firstWatchable;

    StoreModel(long revision, long firstWatchable) {
        this.revision = revision;
        this.firstWatchable = firstWatchable;
    }

    long revision() {
        return revision;
    }

    long firstWatchable() {
        return firstWatchable;
    }

    KeyValue get(String key) {
        return data.get(key);
    }

    TxnResult txn(Txn txn) {
        boolean succeeded = true;
        for (Compare compare : txn.compares()) {
            KeyValue kv = data.get(compare.key());
            long actual = kv == null ? 0 : switch (compare.target()) {
                case CREATE_REVISION -> kv.createRevision();
                case MOD_REVISION -> kv.modRevision();
                case VERSION -> kv.version();
            };
            boolean holds = switch (compare.operator()) {
                case EQUAL -> actual == compare.value();
                case NOT_EQUAL -> actual != compare.value();
                case LESS -> actual < compare.value();
                case GREATER -> actual > compare.value();
            };
            succeeded &= holds;
        }
        Map<String, KeyValue> changes = new HashMap<>();
        List<WatchEvent> events = new ArrayList<>();
        long next = revision + 1;
        for (Op op : succeeded ? txn.success() : txn.failure()) {
            KeyValue old = data.get(op.key());
            if (op instanceof Op.Put put) {
                KeyValue kv = new KeyValue(put.key(), put.value(), old == null ? next : old.createRevision(), next,
                        old == null ? 1 : old.version() + 1);
                changes.put(put.key(), kv);
                events.add(new WatchEvent(WatchEvent.Type.PUT, kv));
            } else if (old != null) {
                changes.put(op.key(), null);
                events.add(new WatchEvent(WatchEvent.Type.DELETE, new KeyValue(op.key(), null, old.createRevision(), next, 0)));
            }
        }
        if (events.isEmpty()) {
            return new TxnResult(succeeded, revision);
        }
        changes.forEach((key, kv) -> {
            if (kv == null) {
                data.remove(key);
            } else {
                data.put(key, kv);
            }
        });
        history.addAll(events);
        revision = next;
        return new TxnResult(succeeded, revision);
    }

    RangeResult range(String prefix, String startAfter, int limit) {
        List<KeyValue> items = new ArrayList<>();
        boolean more = false;
        for (KeyValue kv : data.values()) {
            if (!kv.key().startsWith(prefix) || (startAfter != null && kv.key().compareTo(startAfter) <= 0)) {
                continue;
            }
            if (limit > 0 && items.size() == limit) {
                more = true;
                break;
            }
            items.add(kv);
        }
        return new RangeResult(items, revision, more);
    }

    /** False when the store must refuse it (a future revision). */
    boolean compact(long at) {
        if (at > revision) {
            return false;
        }
        firstWatchable = Math.max(firstWatchable, at);
        return true;
    }

    /** The events a watch from {@code from} delivers up to the current revision. */
    List<WatchEvent> eventsFrom(String prefix, long from) {
        return history.stream().filter(e -> e.revision() >= from && e.kv().key().startsWith(prefix)).toList();
    }
}
