package io.tidepool.sim.bench;

import io.tidepool.store.KeyValue;
import io.tidepool.store.Leadership;
import io.tidepool.store.RangeResult;
import io.tidepool.store.Store;
import io.tidepool.store.Txn;
import io.tidepool.store.TxnResult;
import io.tidepool.store.Watch;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/** A store that counts the calls made to it, so the benchmark can say how many writes a phase cost. */
final class CountingStore implements Store {
    private final Store store;
    private final AtomicLong txns = new AtomicLong();
    private final AtomicLong failedTxns = new AtomicLong();
    private final AtomicLong reads = new AtomicLong();
    private final AtomicLong txnNanos = new AtomicLong();

    CountingStore(Store store) {
        this.store = store;
    }

    /** Transactions, failed compares, gets plus ranges, and the time callers spent waiting for transactions. */
    record Counts(long txns, long failedTxns, long reads, long txnMillis) {
        Counts minus(Counts earlier) {
            return new Counts(txns - earlier.txns, failedTxns - earlier.failedTxns, reads - earlier.reads,
                    txnMillis - earlier.txnMillis);
        }
    }

    Counts counts() {
        return new Counts(txns.get(), failedTxns.get(), reads.get(), txnNanos.get() / 1_000_000);
    }

    @Override
    public Optional<KeyValue> get(String key) {
        reads.incrementAndGet();
        return store.get(key);
    }

    @Override
    public RangeResult range(String prefix, String startAfter, int limit) {
        reads.incrementAndGet();
        return store.range(prefix, startAfter, limit);
    }

    @Override
    public TxnResult txn(Txn txn) {
        txns.incrementAndGet();
        long start = System.nanoTime();
        TxnResult result = store.txn(txn);
        txnNanos.addAndGet(System.nanoTime() - start);
        if (!result.succeeded()) {
            failedTxns.incrementAndGet();
        }
        return result;
    }

    @Override
    public long currentRevision() {
        return store.currentRevision();
    }

    @Override
    public Watch watch(String prefix, long fromRevision) {
        return store.watch(prefix, fromRevision);
    }

    @Override
    public void compact(long revision) {
        store.compact(revision);
    }

    @Override
    public long firstWatchableRevision() {
        return store.firstWatchableRevision();
    }

    @Override
    public Leadership leadership() {
        return store.leadership();
    }

    @Override
    public void close() {
        store.close();
    }
}
