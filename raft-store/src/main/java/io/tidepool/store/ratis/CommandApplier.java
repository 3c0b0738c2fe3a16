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
import java.nio.charset.StandardCharsets;
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
            if (command instanceof Command.Compact compact) {
                Applied applied = applyCompact(compact.revision(), revisions, batch);
                state.write(batch, List.of());
                return applied;
            }
            Entry entry = new Entry(state, batch, revisions.current());
            byte[] reply;
            if (command instanceof Command.Write write) {
                reply = ReplyCodec.encode(entry.apply(write.txn()));
            } else {
                List<Txn> txns = ((Command.Batch) command).txns();
                List<TxnResult> results = new ArrayList<>(txns.size());
                for (Txn txn : txns) {
                    results.add(entry.apply(txn));
                }
                reply = ReplyCodec.encodeBatch(results);
            }
            entry.finish();
            return new Applied(reply, entry.changes);
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
            state.write(batch, List.of());
        } catch (RocksDBException e) {
            throw new UncheckedIOException(new IOException("cannot build the write batch: " + e.getMessage(), e));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The transactions of one entry: their writes go to the entry's batch, and they see one another's
     * writes through {@code written} (a deleted key maps to an update without revisions) before the
     * batch reaches RocksDB and the key index. Only the key index is read: never a value.
     */
    private static final class Entry {
        private final RocksState state;
        private final WriteBatch batch;
        private final Map<String, RocksState.KeyUpdate> written = new HashMap<>();
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
                KeyIndex.Entry current = current(compare.key());
                boolean holds = current == null ? compare.holdsFor(0, 0, 0)
                        : compare.holdsFor(current.createRevision(), current.modRevision(), current.version());
                if (!holds) {
                    succeeded = false;
                    break;
                }
            }
            long writeRevision = revision + 1;
            List<WatchEvent> events = new ArrayList<>();
            for (Op op : succeeded ? txn.success() : txn.failure()) {
                String key = op.key();
                KeyIndex.Entry existing = current(key);
                byte[] utf8 = utf8(key);
                if (op instanceof Op.Put put) {
                    KeyIndex.Entry entry = existing == null ? new KeyIndex.Entry(writeRevision, writeRevision, 1)
                            : new KeyIndex.Entry(existing.createRevision(), writeRevision, existing.version() + 1);
                    batch.put(StateLayout.keyOf(utf8), StateLayout.encodeValue(entry, put.value()));
                    written.put(key, new RocksState.KeyUpdate(utf8, entry));
                    events.add(new WatchEvent(WatchEvent.Type.PUT, new KeyValue(key, put.value(),
                            entry.createRevision(), writeRevision, entry.version())));
                } else if (existing != null) {
                    batch.delete(StateLayout.keyOf(utf8));
                    written.put(key, new RocksState.KeyUpdate(utf8, null));
                    events.add(new WatchEvent(WatchEvent.Type.DELETE,
                            new KeyValue(key, null, existing.createRevision(), writeRevision, 0)));
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

        /** Writes the batch; the state then brings its key index up to date with it. */
        void finish() throws RocksDBException, IOException {
            if (revision != firstRevision) {
                batch.put(StateLayout.REVISION, StateLayout.encodeLong(revision));
            }
            state.write(batch, written.values());
        }

        private KeyIndex.Entry current(String key) {
            RocksState.KeyUpdate update = written.get(key);
            return update != null ? update.entry() : state.indexed(utf8(key));
        }

        private byte[] utf8(String key) {
            RocksState.KeyUpdate update = written.get(key);
            return update != null ? update.key() : key.getBytes(StandardCharsets.UTF_8);
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
