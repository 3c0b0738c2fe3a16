package io.tidepool.store.ratis;

import io.tidepool.store.CompactedException;
import io.tidepool.store.KeyOrder;
import io.tidepool.store.KeyValue;
import io.tidepool.store.RangeResult;
import io.tidepool.store.StoreException;
import io.tidepool.store.WatchEvent;
import io.tidepool.store.watch.HistoryPage;
import org.apache.ratis.server.protocol.TermIndex;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.Checkpoint;
import org.rocksdb.CompressionType;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Snapshot;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * One replica's state in RocksDB (laid out as {@link StateLayout} says). Reads that span several
 * keys go through a RocksDB snapshot, so they never see half of an applied entry. A read-write lock
 * keeps native handles alive while anyone uses them: reads and writes share it, {@link #close}
 * takes it exclusively, and use after close is a {@link StoreException}, never a crash.
 *
 * <p>The WAL is on but not synced: the fsynced Raft log is the source of truth and replays
 * whatever a machine crash takes from RocksDB's tail (store.md §3.1).
 */
final class RocksState implements AutoCloseable {
    /** Change-log revisions one history read looks at before it returns, whatever it found. */
    private static final int HISTORY_SCAN_BUDGET = 4096;

    static {
        RocksDB.loadLibrary();
    }

    /** Block cache shared by every replica in this JVM (they are many only in tests). */
    private static final long BLOCK_CACHE_BYTES = 128L << 20;
    private static final BlockBasedTableConfig TABLE = new BlockBasedTableConfig()
            .setBlockCache(new LRUCache(BLOCK_CACHE_BYTES))
            .setFilterPolicy(new BloomFilter(10));

    private final Path dir;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private Options options;
    private WriteOptions writeOptions;
    private RocksDB db;

    private RocksState(Path dir, Options options, WriteOptions writeOptions, RocksDB db) {
        this.dir = dir;
        this.options = options;
        this.writeOptions = writeOptions;
        this.db = db;
    }

    static RocksState open(Path dir) throws IOException {
        // Larger memtables than RocksDB's default absorb rewrites of the same keys before they reach
        // L0; no compression above the bottom level spares compaction CPU; the bloom filter and the
        // block cache keep the apply's reads of current values off the files (docs/BENCHMARKS.md).
        Options options = new Options().setCreateIfMissing(true).setWriteBufferSize(32L << 20)
                .setMaxWriteBufferNumber(2).setMaxBackgroundJobs(2).setKeepLogFileNum(2)
                .setInfoLogLevel(InfoLogLevel.WARN_LEVEL).setTableFormatConfig(TABLE)
                .setCompressionType(CompressionType.NO_COMPRESSION)
                .setBottommostCompressionType(CompressionType.LZ4_COMPRESSION);
        WriteOptions writeOptions = new WriteOptions().setSync(false);
        try {
            return new RocksState(dir, options, writeOptions, RocksDB.open(options, dir.toString()));
        } catch (RocksDBException e) {
            options.close();
            writeOptions.close();
            throw new IOException("cannot open RocksDB at " + dir + ": " + e.getMessage(), e);
        }
    }

    Path dir() {
        return dir;
    }

    /** Runs {@code action} with the state held open, for a sequence of calls that must not see a close. */
    <T> T whileOpen(Supplier<T> action) {
        lock.readLock().lock();
        try {
            requireOpen();
            return action.get();
        } finally {
            lock.readLock().unlock();
        }
    }

    Optional<KeyValue> get(String key) {
        return whileOpen(() -> {
            byte[] stored = rocks(() -> db.get(StateLayout.keyOf(key)));
            return Optional.ofNullable(stored).map(value -> StateLayout.decodeValue(key, value));
        });
    }

    RangeResult range(String prefix, String startAfter, int limit) {
        return atSnapshot(readOptions -> {
            byte[] prefixKey = StateLayout.keyOf(prefix);
            List<KeyValue> items = new ArrayList<>();
            boolean more = false;
            try (RocksIterator it = db.newIterator(readOptions)) {
                if (startAfter == null || KeyOrder.compare(startAfter, prefix) < 0) {
                    it.seek(prefixKey);
                } else {
                    byte[] after = StateLayout.keyOf(startAfter);
                    it.seek(after);
                    if (it.isValid() && Arrays.equals(it.key(), after)) {
                        it.next();
                    }
                }
                for (; it.isValid() && startsWith(it.key(), prefixKey); it.next()) {
                    if (limit > 0 && items.size() == limit) {
                        more = true;
                        break;
                    }
                    byte[] key = it.key();
                    items.add(StateLayout.decodeValue(StateLayout.keyFrom(key), it.value()));
                }
            }
            long revision = StateLayout.decodeLong(rocks(() -> db.get(readOptions, StateLayout.REVISION)), 0);
            return new RangeResult(items, revision, more);
        });
    }

    Revisions revisions() {
        return atSnapshot(readOptions -> new Revisions(
                StateLayout.decodeLong(rocks(() -> db.get(readOptions, StateLayout.REVISION)), 0),
                StateLayout.decodeLong(rocks(() -> db.get(readOptions, StateLayout.FIRST_WATCHABLE)), 1)));
    }

    /** The Raft (term, index) of the last entry written to this state, or the initial value when none. */
    TermIndex applied() {
        return whileOpen(() -> {
            byte[] stored = rocks(() -> db.get(StateLayout.APPLIED));
            if (stored == null) {
                return TermIndex.INITIAL_VALUE;
            }
            BinaryReader in = new BinaryReader(stored);
            return TermIndex.valueOf(in.readLong(), in.readLong());
        });
    }

    /** Implements {@link io.tidepool.store.watch.ChangeHistory} over the change log. */
    HistoryPage readHistory(String prefix, long fromRevision, long toRevision, int maxEvents) {
        return atSnapshot(readOptions -> {
            long firstWatchable = StateLayout.decodeLong(
                    rocks(() -> db.get(readOptions, StateLayout.FIRST_WATCHABLE)), 1);
            if (fromRevision < firstWatchable) {
                throw new CompactedException(fromRevision, firstWatchable);
            }
            List<WatchEvent> events = new ArrayList<>();
            int scanned = 0;
            try (RocksIterator it = db.newIterator(readOptions)) {
                for (it.seek(StateLayout.changeKey(fromRevision)); it.isValid(); it.next()) {
                    byte[] key = it.key();
                    if (key[0] != StateLayout.CHANGE_PREFIX || StateLayout.revisionFrom(key) > toRevision) {
                        break;
                    }
                    long revision = StateLayout.revisionFrom(key);
                    for (WatchEvent event : StateLayout.decodeChanges(revision, it.value())) {
                        if (event.kv().key().startsWith(prefix)) {
                            events.add(event);
                        }
                    }
                    if (events.size() >= maxEvents || ++scanned >= HISTORY_SCAN_BUDGET) {
                        return new HistoryPage(events, revision + 1);
                    }
                }
            }
            return new HistoryPage(events, toRevision + 1);
        });
    }

    void write(WriteBatch batch) throws IOException {
        lock.readLock().lock();
        try {
            requireOpen();
            db.write(writeOptions, batch);
        } catch (RocksDBException e) {
            throw new IOException("RocksDB write failed in " + dir + ": " + e.getMessage(), e);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Hard-links a consistent copy of the state into {@code target}, which must not exist yet. */
    void checkpoint(Path target) throws IOException {
        lock.readLock().lock();
        try (Checkpoint checkpoint = Checkpoint.create(requireOpen())) {
            checkpoint.createCheckpoint(target.toString());
        } catch (RocksDBException e) {
            throw new IOException("RocksDB checkpoint to " + target + " failed: " + e.getMessage(), e);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Every stored key and value in order; for tests that compare replicas byte by byte. */
    void forEachEntry(BiConsumer<byte[], byte[]> consumer) {
        atSnapshot(readOptions -> {
            try (RocksIterator it = db.newIterator(readOptions)) {
                for (it.seekToFirst(); it.isValid(); it.next()) {
                    consumer.accept(it.key(), it.value());
                }
            }
            return null;
        });
    }

    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (db != null) {
                db.close();
                options.close();
                writeOptions.close();
                db = null;
                options = null;
                writeOptions = null;
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    private <T> T atSnapshot(SnapshotRead<T> read) {
        return whileOpen(() -> {
            Snapshot snapshot = db.getSnapshot();
            try (ReadOptions readOptions = new ReadOptions().setSnapshot(snapshot)) {
                return read.apply(readOptions);
            } finally {
                db.releaseSnapshot(snapshot);
            }
        });
    }

    private RocksDB requireOpen() {
        if (db == null) {
            throw new StoreException("the state at " + dir + " is closed (stopped, or replaced by a snapshot)");
        }
        return db;
    }

    private static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    private static <T> T rocks(RocksCall<T> call) {
        try {
            return call.get();
        } catch (RocksDBException e) {
            throw new StoreException("RocksDB read failed: " + e.getMessage(), e);
        }
    }

    @FunctionalInterface
    private interface RocksCall<T> {
        T get() throws RocksDBException;
    }

    @FunctionalInterface
    private interface SnapshotRead<T> {
        T apply(ReadOptions readOptions);
    }
}
