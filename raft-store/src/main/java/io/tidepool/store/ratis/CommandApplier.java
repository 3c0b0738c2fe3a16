package io.tidepool.store.ratis;

import io.tidepool.store.Compare;
import io.tidepool.store.KeyValue;
import io.tidepool.store.Op;
import io.tidepool.store.Txn;
import io.tidepool.store.TxnResult;
import io.tidepool.store.WatchEvent;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies one committed command to a replica's state. Deterministic: the outcome depends only on
 * the state and the command (no clock, no randomness, no local configuration), so every replica
 * ends byte-identical. Everything an entry changes, including the applied (term, index), goes into
 * one {@link WriteBatch}. A failed compare or a compaction of a future revision is a normal result.
 * The transactions of a {@link Command.Batch} apply one after another, each at its own revision and
 * each seeing the writes of those before it, exactly as if each had its own entry.
 */
final class CommandApplier {

    /** The encoded reply and the revisions the entry wrote, in order, with their events. */
    record Applied(byte[] reply, List<Change> changes) {
    }

    /** The events of one new revision. */
    record Change(long revision, List<WatchEvent> events) {
    }

    private CommandApplier() {
    }

    /**
     * Applies {@code command} as the entry at {@code (term, index)}. The caller holds the state open.
     *
     * @throws UncheckedIOException when RocksDB cannot write: the replica must stop rather than go on
     */
    static Applied apply(RocksState state, Command command, long term, long index) {
        Revisions revisions = state.revisions();
        try (WriteBatch batch = new WriteBatch()) {
            batch.put(StateLayout.APPLIED, StateLayout.encodeApplied(term, index));
            Applied applied;
            if (command instanceof Command.Compact compact) {
                applied = applyCompact(compact.revision(), revisions, batch);
            } else {
                Entry entry = new Entry(state, batch, revisions.current());
                if (command instanceof Command.Write write) {
                    applied = new Applied(ReplyCodec.encode(entry.apply(write.txn())), entry.changes);
                } else {
                    List<TxnResult> results = new ArrayList<>();
                    for (Txn txn : ((Command.Batch) command).txns()) {
                        results.add(entry.apply(txn));
                    }
                    applied = new Applied(ReplyCodec.encodeBatch(results), entry.changes);
                }
                entry.finish();
            }
            state.write(batch);
            return applied;
        } catch (RocksDBException e) {
            throw new UncheckedIOException(new IOException("cannot build the write batch: " + e.getMessage(), e));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Records only the applied (term, index), for an entry that changes nothing else. */
    static void recordApplied(RocksState state, long term, long index) {
        try (WriteBatch batch = new WriteBatch()) {
            batch.put(StateLayout.APPLIED, StateLayout.encodeApplied(term, index));
            state.write(batch);
        } catch (RocksDBException e) {
            throw new UncheckedIOException(new IOException("cannot build the write batch: " + e.getMessage(), e));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The transactions of one entry: their writes go to the entry's batch, and reads see them
     * through {@code written} before they reach RocksDB (a deleted key maps to null).
     */
    private static final class Entry {
        private final RocksState state;
        private final WriteBatch batch;
        private final Map<String, KeyValue> written = new HashMap<>();
        private final List<Change> changes = new ArrayList<>();
        private final long firstRevision;
        private long revision;

        Entry(RocksState state, WriteBatch batch, long revision) {
            this.state = state;
            this.batch = batch;
            this.firstRevision = revision;
            this.revision = revision;
        }

        TxnResult apply(Txn txn) throws RocksDBException {
            boolean succeeded = true;
            for (Compare compare : txn.compares()) {
                if (!compare.holdsFor(current(compare.key()))) {
                    succeeded = false;
                    break;
                }
            }
            long writeRevision = revision + 1;
            List<WatchEvent> events = new ArrayList<>();
            for (Op op : succeeded ? txn.success() : txn.failure()) {
                KeyValue existing = current(op.key());
                if (op instanceof Op.Put put) {
                    KeyValue kv = existing == null
                            ? new KeyValue(put.key(), put.value(), writeRevision, writeRevision, 1)
                            : new KeyValue(put.key(), put.value(), existing.createRevision(), writeRevision,
                                    existing.version() + 1);
                    batch.put(StateLayout.keyOf(put.key()), StateLayout.encodeValue(kv));
                    written.put(put.key(), kv);
                    events.add(new WatchEvent(WatchEvent.Type.PUT, kv));
                } else if (existing != null) {
                    batch.delete(StateLayout.keyOf(op.key()));
                    written.put(op.key(), null);
                    events.add(new WatchEvent(WatchEvent.Type.DELETE,
                            new KeyValue(op.key(), null, existing.createRevision(), writeRevision, 0)));
                }
            }
            if (events.isEmpty()) {
                return new TxnResult(succeeded, revision);
            }
            batch.put(StateLayout.changeKey(writeRevision), StateLayout.encodeChanges(events));
            revision = writeRevision;
            changes.add(new Change(writeRevision, events));
            return new TxnResult(succeeded, writeRevision);
        }

        void finish() throws RocksDBException {
            if (revision != firstRevision) {
                batch.put(StateLayout.REVISION, StateLayout.encodeLong(revision));
            }
        }

        private KeyValue current(String key) {
            return written.containsKey(key) ? written.get(key) : state.get(key).orElse(null);
        }
    }

    private static Applied applyCompact(long revision, Revisions revisions, WriteBatch batch)
            throws RocksDBException {
        if (revision > revisions.current()) {
            return new Applied(ReplyCodec.encode(new CompactResult(false, revisions.current())), List.of());
        }
        if (revision > revisions.firstWatchable()) {
            batch.deleteRange(StateLayout.changeKey(revisions.firstWatchable()), StateLayout.changeKey(revision));
            batch.put(StateLayout.FIRST_WATCHABLE, StateLayout.encodeLong(revision));
        }
        return new Applied(ReplyCodec.encode(new CompactResult(true, revisions.current())), List.of());
    }
}
