package io.tidepool.store.ratis;

import io.tidepool.store.Limits;
import io.tidepool.store.StoreException;
import io.tidepool.store.watch.HistoryPage;
import io.tidepool.store.watch.WatchHub;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.proto.RaftProtos.RoleInfoProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.exceptions.StateMachineException;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.raftlog.RaftLog;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.LifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Raft state machine: applies committed commands to {@link RocksState}, answers queries from
 * it, snapshots it as checkpoints and feeds the node's {@link WatchHub}. The lifecycle follows
 * shared/notes/store.md: {@link #pause} really pauses (P2), {@link #reinitialize} re-reads the
 * installed snapshot from disk (P4, P5), and at start the applied index equals the latest
 * snapshot's (P3), checkpointing at once when the DB is ahead.
 */
final class KvStateMachine extends BaseStateMachine {
    private static final Logger LOG = LoggerFactory.getLogger(KvStateMachine.class);

    private final CheckpointStorage storage = new CheckpointStorage();
    private final RatisLeadership leadership;
    private final int watchBufferedEventsMax;
    private final AtomicLong snapshotsInstalled = new AtomicLong();
    private volatile RocksState state;
    private volatile WatchHub hub;

    KvStateMachine(RatisLeadership leadership, int watchBufferedEventsMax) {
        this.leadership = leadership;
        this.watchBufferedEventsMax = watchBufferedEventsMax;
    }

    @Override
    public StateMachineStorage getStateMachineStorage() {
        return storage;
    }

    @Override
    public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage) throws IOException {
        super.initialize(server, groupId, raftStorage);
        storage.init(raftStorage);
        getLifeCycle().startAndTransition(this::load, IOException.class);
    }

    /** Opens the state from {@code sm/db}, rebuilding it from the newest checkpoint when needed. */
    private synchronized void load() throws IOException {
        storage.rescan();
        Optional<TermIndex> snapshot = storage.latestTermIndex();
        Path dbDir = storage.dbDir();
        if (!Files.exists(dbDir) && snapshot.isPresent()) {
            storage.restoreLatestInto(dbDir);
        }
        RocksState opened = RocksState.open(dbDir);
        TermIndex applied = opened.applied();
        if (snapshot.isPresent() && applied.getIndex() < snapshot.get().getIndex()) {
            LOG.warn("{}: state at {} is behind snapshot {}; restoring the snapshot", getId(), applied, snapshot.get());
            opened.close();
            storage.restoreLatestInto(dbDir);
            opened = RocksState.open(dbDir);
            applied = opened.applied();
        }
        if (applied.getIndex() >= 0 && (snapshot.isEmpty() || applied.getIndex() > snapshot.get().getIndex())) {
            // P3: Ratis replays from the snapshot index, so it must equal what the DB already holds.
            storage.create(opened, applied);
        }
        state = opened;
        setLastAppliedTermIndex(applied);
        long revision = opened.revisions().current();
        if (hub == null) {
            hub = new WatchHub(this::readHistory, revision, watchBufferedEventsMax);
        } else {
            hub.resume(revision);
        }
        LOG.info("{}: state loaded at {} (revision {}), snapshot {}", getId(), applied, revision,
                storage.latestTermIndex().orElse(null));
    }

    @Override
    public synchronized void pause() {
        if (getLifeCycle().compareAndTransition(LifeCycle.State.RUNNING, LifeCycle.State.PAUSING)) {
            closeState();
            getLifeCycle().transition(LifeCycle.State.PAUSED);
        }
    }

    @Override
    public synchronized void reinitialize() throws IOException {
        pause();
        closeState();
        getLifeCycle().startAndTransition(this::load, IOException.class);
        snapshotsInstalled.incrementAndGet();
    }

    private void closeState() {
        if (hub != null) {
            hub.suspend();
        }
        RocksState current = state;
        state = null;
        if (current != null) {
            current.close();
        }
    }

    @Override
    public TransactionContext startTransaction(RaftClientRequest request) throws IOException {
        TransactionContext trx = super.startTransaction(request);
        try {
            Command command = CommandCodec.decodeCommand(request.getMessage().getContent().toByteArray());
            if (command instanceof Command.Write write) {
                Limits.checkTxn(write.txn());
            } else if (command instanceof Command.Batch batch) {
                if (batch.txns().size() > TxnBatcher.TXNS_MAX) {
                    throw new IllegalArgumentException("a batch of " + batch.txns().size()
                            + " transactions is over the limit of " + TxnBatcher.TXNS_MAX);
                }
                batch.txns().forEach(Limits::checkTxn);
            } else if (command instanceof Command.Compact compact) {
                Limits.checkRevision(compact.revision());
            }
        } catch (RuntimeException e) {
            trx.setException(e);
        }
        return trx;
    }

    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
        LogEntryProto entry = trx.getLogEntry();
        long term = entry.getTerm();
        long index = entry.getIndex();
        RocksState current = state;
        if (current == null || !getLifeCycleState().isRunning()) {
            return CompletableFuture.failedFuture(new StateMachineException(
                    "state machine is " + getLifeCycleState() + ": entry " + index + " not applied"));
        }
        Command command;
        try {
            command = CommandCodec.decodeCommand(entry.getStateMachineLogEntry().getLogData().toByteArray());
        } catch (IllegalArgumentException e) {
            // Every replica reads the same bytes, so every replica refuses this entry alike.
            current.whileOpen(() -> {
                CommandApplier.recordApplied(current, term, index);
                return null;
            });
            updateLastAppliedTermIndex(term, index);
            return CompletableFuture.failedFuture(new StateMachineException("malformed command: " + e.getMessage()));
        }
        // An I/O error escapes as an exception: Ratis then stops this replica instead of letting it skip an entry.
        CommandApplier.Applied applied = current.whileOpen(() -> CommandApplier.apply(current, command, term, index));
        updateLastAppliedTermIndex(term, index);
        for (CommandApplier.Change change : applied.changes()) {
            hub.publish(change.revision(), change.events());
        }
        return CompletableFuture.completedFuture(Message.valueOf(ByteString.copyFrom(applied.reply())));
    }

    @Override
    public CompletableFuture<Message> query(Message request) {
        try {
            RocksState current = requireState();
            Query query = CommandCodec.decodeQuery(request.getContent().toByteArray());
            byte[] reply;
            if (query instanceof Query.Get get) {
                Limits.checkKey(get.key());
                reply = ReplyCodec.encodeGet(current.get(get.key()));
            } else if (query instanceof Query.Range range) {
                Limits.checkRange(range.prefix(), range.startAfter(), range.limit());
                reply = ReplyCodec.encode(current.range(range.prefix(), range.startAfter(), range.limit()));
            } else {
                reply = ReplyCodec.encode(current.revisions());
            }
            return CompletableFuture.completedFuture(Message.valueOf(ByteString.copyFrom(reply)));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public synchronized long takeSnapshot() throws IOException {
        RocksState current = state;
        TermIndex applied = getLastAppliedTermIndex();
        Optional<TermIndex> latest = storage.latestTermIndex();
        if (current == null || applied.getIndex() < 0) {
            return latest.map(TermIndex::getIndex).orElse(RaftLog.INVALID_LOG_INDEX);
        }
        if (latest.isPresent() && latest.get().getIndex() >= applied.getIndex()) {
            return latest.get().getIndex();
        }
        // Entries without state (configuration, no-ops) also advance the applied index; record it so
        // the checkpoint's own applied index equals the snapshot's name.
        current.whileOpen(() -> {
            CommandApplier.recordApplied(current, applied.getTerm(), applied.getIndex());
            return null;
        });
        storage.create(current, applied);
        return applied.getIndex();
    }

    @Override
    public void notifyLeaderChanged(RaftGroupMemberId groupMemberId, RaftPeerId newLeaderId) {
        leadership.leaderChanged(newLeaderId == null ? null : newLeaderId.toString());
    }

    @Override
    public void notifyLeaderReady() {
        leadership.becameReadyLeader();
    }

    @Override
    public void notifyNotLeader(Collection<TransactionContext> pendingEntries) {
        leadership.stoppedLeading();
    }

    @Override
    public void notifyServerShutdown(RoleInfoProto roleInfo, boolean allServer) {
        leadership.stoppedLeading();
    }

    @Override
    public synchronized void close() {
        getLifeCycle().checkStateAndClose(() -> {
            leadership.stoppedLeading();
            if (hub != null) {
                hub.close("node stopped");
            }
            closeState();
        });
    }

    WatchHub hub() {
        return hub;
    }

    /** The revisions of this replica's own state, which may trail the leader's. */
    Revisions localRevisions() {
        return requireState().revisions();
    }

    /** A range of this replica's own state, without a ReadIndex round: possibly stale on a follower. */
    io.tidepool.store.RangeResult localRange(String prefix) {
        return requireState().range(prefix, null, 0);
    }

    long snapshotsInstalled() {
        return snapshotsInstalled.get();
    }

    long latestSnapshotIndex() {
        return storage.latestTermIndex().map(TermIndex::getIndex).orElse(RaftLog.INVALID_LOG_INDEX);
    }

    private HistoryPage readHistory(String prefix, long fromRevision, long toRevision, int maxEvents) {
        return requireState().readHistory(prefix, fromRevision, toRevision, maxEvents);
    }

    private RocksState requireState() {
        RocksState current = state;
        if (current == null) {
            throw new StoreException("replica " + getId() + " is not serving: installing a snapshot or stopped");
        }
        return current;
    }
}
