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
import java.util.List;

/**
 * Applies one committed command to a replica's state. Deterministic: the outcome depends only on
 * the state and the command (no clock, no randomness, no local configuration), so every replica
 * ends byte-identical. Everything an entry changes, including the applied (term, index), goes into
 * one {@link WriteBatch}. A failed compare or a compaction of a future revision is a normal result.
 */
final class CommandApplier {

    /** The encoded reply, the store revision after the entry, and the events it produced. */
    record Applied(byte[] reply, long revision, List<WatchEvent> events) {
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
            Applied applied = command instanceof Command.Write write
                    ? applyTxn(state, write.txn(), revisions.current(), batch)
                    : applyCompact(((Command.Compact) command).revision(), revisions, batch);
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

    private static Applied applyTxn(RocksState state, Txn txn, long currentRevision, WriteBatch batch)
            throws RocksDBException {
        boolean succeeded = true;
        for (Compare compare : txn.compares()) {
            if (!compare.holdsFor(state.get(compare.key()).orElse(null))) {
                succeeded = false;
                break;
            }
        }
        long writeRevision = currentRevision + 1;
        List<WatchEvent> events = new ArrayList<>();
        for (Op op : succeeded ? txn.success() : txn.failure()) {
            KeyValue existing = state.get(op.key()).orElse(null);
            if (op instanceof Op.Put put) {
                KeyValue kv = existing == null
                        ? new KeyValue(put.key(), put.value(), writeRevision, writeRevision, 1)
                        : new KeyValue(put.key(), put.value(), existing.createRevision(), writeRevision,
                                existing.version() + 1);
                batch.put(StateLayout.keyOf(put.key()), StateLayout.encodeValue(kv));
                events.add(new WatchEvent(WatchEvent.Type.PUT, kv));
            } else if (existing != null) {
                batch.delete(StateLayout.keyOf(op.key()));
                events.add(new WatchEvent(WatchEvent.Type.DELETE,
                        new KeyValue(op.key(), null, existing.createRevision(), writeRevision, 0)));
            }
        }
        if (events.isEmpty()) {
            return new Applied(ReplyCodec.encode(new TxnResult(succeeded, currentRevision)), currentRevision, events);
        }
        batch.put(StateLayout.changeKey(writeRevision), StateLayout.encodeChanges(events));
        batch.put(StateLayout.REVISION, StateLayout.encodeLong(writeRevision));
        return new Applied(ReplyCodec.encode(new TxnResult(succeeded, writeRevision)), writeRevision, events);
    }

    private static Applied applyCompact(long revision, Revisions revisions, WriteBatch batch)
            throws RocksDBException {
        if (revision > revisions.current()) {
            return new Applied(ReplyCodec.encode(new CompactResult(false, revisions.current())),
                    revisions.current(), List.of());
        }
        if (revision > revisions.firstWatchable()) {
            batch.deleteRange(StateLayout.changeKey(revisions.firstWatchable()), StateLayout.changeKey(revision));
            batch.put(StateLayout.FIRST_WATCHABLE, StateLayout.encodeLong(revision));
        }
        return new Applied(ReplyCodec.encode(new CompactResult(true, revisions.current())),
                revisions.current(), List.of());
    }
}
