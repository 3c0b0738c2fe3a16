package io.tidepool.store;

import java.util.List;
import java.util.Optional;

/**
 * A versioned key-value store shaped like etcd v3. Every successful write advances one global
 * revision; each key remembers the revision that created it and the one that last modified it.
 * Reads are linearizable. Writes are all-or-nothing transactions that may compare revisions first.
 *
 * <p>Every implementation refuses the same requests (see {@link Limits}): malformed input with
 * {@link IllegalArgumentException}, input over a {@code MAX_*} limit with {@link LimitExceededException}.
 * Keys are ordered by {@link KeyOrder}. A call that fails with a {@link StoreException} for any other
 * reason (unavailable, timed out) may or may not have written: writes that matter compare revisions.
 *
 * <p>Implementations: {@code store.memory.InMemoryStore} (for fast tests of code above the store)
 * and {@code store.ratis.RatisStore} (Apache Ratis replicating a RocksDB state machine). Both pass
 * the same contract suite, {@code StoreContract} in this module's test-jar.
 */
public interface Store extends AutoCloseable {
    /** Longest key accepted, in UTF-8 bytes. */
    int MAX_KEY_BYTES = 1024;
    /** Largest value accepted, as etcd's default request limit. */
    int MAX_VALUE_BYTES = 1536 * 1024;
    /** Most operations in one transaction (compares plus both branches). */
    int MAX_TXN_OPS = 20_000;
    /** Largest transaction accepted, in bytes of keys and values together. */
    int MAX_TXN_BYTES = 32 * 1024 * 1024;

    /** The key's current value, or empty when it does not exist. */
    Optional<KeyValue> get(String key);

    /** Every key that starts with {@code prefix}, in key order, all read at one revision. */
    default RangeResult range(String prefix) {
        return range(prefix, null, 0);
    }

    /**
     * A page of the keys that start with {@code prefix}, in key order: those after {@code startAfter}
     * (null to start at the beginning), at most {@code limit} of them (0 for no limit).
     * {@link RangeResult#more()} says whether keys are left.
     */
    RangeResult range(String prefix, String startAfter, int limit);

    /** Runs the transaction atomically; a failed compare is a normal result, not an exception. */
    TxnResult txn(Txn txn);

    /** Puts one key unconditionally and returns the revision of the write. */
    default long put(String key, byte[] value) {
        return txn(Txn.of(List.of(), List.of(new Op.Put(key, value)))).revision();
    }

    /** Deletes one key unconditionally; true when it existed. */
    default boolean delete(String key) {
        TxnResult result = txn(Txn.when(List.of(Compare.exists(key)), List.of(new Op.Delete(key)), List.of()));
        return result.succeeded();
    }

    /** The store's current revision, read linearizably. */
    long currentRevision();

    /**
     * Streams every change to keys under {@code prefix} made at {@code fromRevision} or later, in
     * revision order, with no gap and no duplicate: first the history, then live changes.
     * {@code fromRevision} 0 means "from now" (the current revision + 1); a revision beyond the
     * current one waits for it.
     *
     * @throws CompactedException when history at {@code fromRevision} was already compacted; the
     *                            caller should list again and watch from the list's revision + 1
     */
    Watch watch(String prefix, long fromRevision);

    /**
     * Forgets the change history below {@code revision}: watches from earlier revisions fail with
     * {@link CompactedException} afterwards. Current values are never affected. Compacting at or
     * below {@link #firstWatchableRevision()} does nothing; a revision beyond the current one is
     * refused with a {@link StoreException}.
     */
    void compact(long revision);

    /** The lowest revision that can still be watched from (1 when nothing was compacted). */
    long firstWatchableRevision();

    /** Whether this node leads its store; leader-only work (the reconcilers) follows it. */
    Leadership leadership();

    @Override
    void close();
}
