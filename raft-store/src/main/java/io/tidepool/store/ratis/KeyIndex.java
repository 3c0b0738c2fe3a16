package io.tidepool.store.ratis;

import java.util.Arrays;

/**
 * The revisions of every live key of one replica, in memory: applying a write needs a key's
 * create revision, modify revision and version (for compares, and to number the new version), and
 * reading them back from RocksDB with the key's value cost a point lookup per write. etcd keeps its
 * key index in memory for the same reason. The index mirrors the key records exactly: it is built
 * from them whenever the state is opened (at start, and after a snapshot install) and changed only
 * after the write batch that changes them.
 *
 * <p>Compact: an open-addressing table (linear probing, deletion by backward shift, so no
 * tombstones) over the keys' UTF-8 bytes, with the three revisions of a slot side by side in one
 * {@code long[]}. A key costs one object (its bytes) and, at the table's load of 0.3–0.6, about
 * 50–95 bytes of table besides its own length plus 16: 100,000 keys of 30 bytes take about 10 MB.
 *
 * <p>Not thread-safe: the thread that applies entries owns it.
 */
final class KeyIndex {
    /** The revisions of a live key. */
    record Entry(long createRevision, long modRevision, long version) {
    }

    /** Receives every key of the index with its revisions. */
    @FunctionalInterface
    interface Visitor {
        void visit(byte[] key, long createRevision, long modRevision, long version);
    }

    private static final int MIN_CAPACITY = 16;
    private static final int LONGS_PER_SLOT = 3;

    private byte[][] keys;
    private long[] revisions;
    private int mask;
    private int size;

    KeyIndex() {
        allocate(MIN_CAPACITY);
    }

    int size() {
        return size;
    }

    /** The revisions of {@code key} (UTF-8), or null when the key does not exist. */
    Entry get(byte[] key) {
        int slot = find(key);
        if (slot < 0) {
            return null;
        }
        int at = slot * LONGS_PER_SLOT;
        return new Entry(revisions[at], revisions[at + 1], revisions[at + 2]);
    }

    /** Sets the revisions of {@code key}, which the index keeps (the caller must not change it). */
    void put(byte[] key, long createRevision, long modRevision, long version) {
        int slot = home(key);
        while (keys[slot] != null && !Arrays.equals(keys[slot], key)) {
            slot = (slot + 1) & mask;
        }
        if (keys[slot] == null) {
            keys[slot] = key;
            size++;
        }
        int at = slot * LONGS_PER_SLOT;
        revisions[at] = createRevision;
        revisions[at + 1] = modRevision;
        revisions[at + 2] = version;
        if (size * 5L > keys.length * 3L) {
            resize(keys.length * 2);
        }
    }

    void remove(byte[] key) {
        int hole = find(key);
        if (hole < 0) {
            return;
        }
        // Backward shift: move up every later key of the probe run that may live in the hole.
        for (int next = (hole + 1) & mask; keys[next] != null; next = (next + 1) & mask) {
            int home = home(keys[next]);
            if (((next - home) & mask) >= ((next - hole) & mask)) {
                keys[hole] = keys[next];
                System.arraycopy(revisions, next * LONGS_PER_SLOT, revisions, hole * LONGS_PER_SLOT, LONGS_PER_SLOT);
                hole = next;
            }
        }
        keys[hole] = null;
        size--;
        if (keys.length > MIN_CAPACITY && size * 10L < keys.length) {
            resize(keys.length / 2);
        }
    }

    /** Every key with its revisions, in no particular order. */
    void forEach(Visitor visitor) {
        for (int slot = 0; slot < keys.length; slot++) {
            if (keys[slot] != null) {
                int at = slot * LONGS_PER_SLOT;
                visitor.visit(keys[slot], revisions[at], revisions[at + 1], revisions[at + 2]);
            }
        }
    }

    private int find(byte[] key) {
        for (int slot = home(key); keys[slot] != null; slot = (slot + 1) & mask) {
            if (Arrays.equals(keys[slot], key)) {
                return slot;
            }
        }
        return -1;
    }

    private int home(byte[] key) {
        int hash = Arrays.hashCode(key) * 0x9E3779B9;
        return (hash ^ (hash >>> 16)) & mask;
    }

    private void resize(int capacity) {
        byte[][] oldKeys = keys;
        long[] oldRevisions = revisions;
        allocate(capacity);
        for (int slot = 0; slot < oldKeys.length; slot++) {
            byte[] key = oldKeys[slot];
            if (key != null) {
                int target = home(key);
                while (keys[target] != null) {
                    target = (target + 1) & mask;
                }
                keys[target] = key;
                System.arraycopy(oldRevisions, slot * LONGS_PER_SLOT, revisions, target * LONGS_PER_SLOT,
                        LONGS_PER_SLOT);
            }
        }
    }

    private void allocate(int capacity) {
        keys = new byte[capacity][];
        revisions = new long[capacity * LONGS_PER_SLOT];
        mask = capacity - 1;
    }
}
