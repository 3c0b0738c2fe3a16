package io.tidepool.store.ratis;

import io.tidepool.store.CompactedException;
import io.tidepool.store.KeyValue;
import io.tidepool.store.Leadership;
import io.tidepool.store.Limits;
import io.tidepool.store.RangeResult;
import io.tidepool.store.Store;
import io.tidepool.store.StoreException;
import io.tidepool.store.Txn;
import io.tidepool.store.TxnResult;
import io.tidepool.store.Watch;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.util.ExitUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One node of the replicated store: a Ratis server whose state machine keeps the data in RocksDB,
 * and a Ratis client through which this node's callers write and read. Writes go to the leader
 * wherever they are issued (the client follows redirects); reads are linearizable on every node
 * (served by the leader after a ReadIndex round). Watches are served from this node's own replica:
 * every replica applies the same entries, so its event stream is the same, possibly later.
 *
 * <p>Exactly once: a client retry (same client id and call id) after a leader change gets the
 * first result from Ratis' retry cache instead of being applied again. The cache is in memory on
 * every replica for 60 s; this node's calls give up well within it ({@code operationTimeout}). It
 * does not survive a restart of every replica or a snapshot install on the new leader; a write
 * whose call failed has an unknown outcome, which is why writes that matter compare revisions.
 */
public final class RatisStore implements Store {
    private static final Logger LOG = LoggerFactory.getLogger(RatisStore.class);

    private final RatisStoreConfig config;
    private final RaftGroupId groupId;
    private final ScheduledExecutorService scheduler;
    private final RatisLeadership leadership;
    private final KvStateMachine stateMachine;
    private final RaftServer server;
    private final RatisStoreClient client;
    private volatile boolean closed;

    private RatisStore(RatisStoreConfig config, RaftGroupId groupId, ScheduledExecutorService scheduler,
                       RatisLeadership leadership, KvStateMachine stateMachine, RaftServer server, RatisStoreClient client) {
        this.config = config;
        this.groupId = groupId;
        this.scheduler = scheduler;
        this.leadership = leadership;
        this.stateMachine = stateMachine;
        this.server = server;
        this.client = client;
    }

    /**
     * Starts this node from its data directory (created when missing, recovered when present) and
     * returns once the server runs. A leader is elected in the background; calls made before wait
     * for it, within {@code operationTimeout}.
     */
    public static RatisStore start(RatisStoreConfig config) {
        // Ratis ends the whole JVM (System.exit) when its gRPC server cannot bind; an embedded
        // store must fail its own start instead, with the reason, and leave the process to its owner.
        ExitUtils.disableSystemExit();
        RaftGroup group = RaftSettings.group(config.clusterName(), config.peers());
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "tidepool-store-" + config.nodeId());
            thread.setDaemon(true);
            return thread;
        });
        RatisLeadership leadership = new RatisLeadership(config.nodeId(), scheduler);
        KvStateMachine stateMachine = new KvStateMachine(leadership, config.watchBufferedEventsMax());
        RaftServer server = null;
        try {
            server = RaftServer.newBuilder()
                    .setServerId(RaftPeerId.valueOf(config.nodeId()))
                    .setGroup(group)
                    .setStateMachine(stateMachine)
                    .setProperties(RaftSettings.server(config))
                    .setOption(RaftStorage.StartupOption.RECOVER)
                    .build();
            server.start();
            RatisStoreClient client = RatisStoreClient.forNode(config);
            RatisStore store = new RatisStore(config, group.getGroupId(), scheduler, leadership, stateMachine,
                    server, client);
            Compactor compactor = new Compactor(scheduler, config.compactionInterval(),
                    config.compactionRetainedRevisions(), stateMachine::localRevisions, client::proposeCompaction);
            leadership.addListener(compactor::onLeadership);
            LOG.info("store node {} started at {} in a group of {}", config.nodeId(), config.self().address(),
                    config.peers().size());
            return store;
        } catch (IOException | RuntimeException e) {
            closeQuietly(server);
            scheduler.shutdownNow();
            throw new StoreException("cannot start store node " + config.nodeId() + " at " + config.self().address()
                    + ": " + reason(e), e);
        }
    }

    /** The first message and, when deeper, the root cause's: "Failed to start Grpc server: Address already in use". */
    private static String reason(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e || root.getMessage() == null ? String.valueOf(e.getMessage())
                : e.getMessage() + ": " + root.getMessage();
    }

    @Override
    public Optional<KeyValue> get(String key) {
        checkOpen();
        return client.get(key);
    }

    @Override
    public RangeResult range(String prefix, String startAfter, int limit) {
        checkOpen();
        return client.range(prefix, startAfter, limit);
    }

    @Override
    public TxnResult txn(Txn txn) {
        checkOpen();
        return client.txn(txn);
    }

    @Override
    public long currentRevision() {
        return revisions().current();
    }

    @Override
    public long firstWatchableRevision() {
        return revisions().firstWatchable();
    }

    /**
     * Watches this node's replica. The start is checked against the leader's history first, so a
     * watch below a compaction that has returned fails on every node alike; 0 means the leader's
     * current revision + 1.
     */
    @Override
    public Watch watch(String prefix, long fromRevision) {
        Limits.checkPrefix(prefix);
        Limits.checkRevision(fromRevision);
        Revisions revisions = revisions();
        long from = fromRevision == 0 ? revisions.current() + 1 : fromRevision;
        if (from < revisions.firstWatchable()) {
            throw new CompactedException(from, revisions.firstWatchable());
        }
        return stateMachine.hub().open(prefix, from);
    }

    @Override
    public void compact(long revision) {
        checkOpen();
        client.compact(revision);
    }

    @Override
    public Leadership leadership() {
        return leadership;
    }

    /** This node's Raft role, term, indexes and revision, as /metrics shows them. */
    public NodeStatus status() {
        String leader = leadership.leaderId().orElse(null);
        if (closed) {
            return new NodeStatus(config.nodeId(), "STOPPED", leader, 0, -1, -1, stateMachine.latestSnapshotIndex(),
                    0, stateMachine.snapshotsInstalled());
        }
        try {
            DivisionInfo info = server.getDivision(groupId).getInfo();
            long commitIndex = server.getDivision(groupId).getRaftLog().getLastCommittedIndex();
            long revision;
            try {
                revision = stateMachine.localRevisions().current();
            } catch (StoreException e) {
                revision = -1;
            }
            return new NodeStatus(config.nodeId(), info.getCurrentRole().name(),
                    info.getLeaderId() == null ? leader : info.getLeaderId().toString(), info.getCurrentTerm(),
                    info.getLastAppliedIndex(), commitIndex, stateMachine.latestSnapshotIndex(), revision,
                    stateMachine.snapshotsInstalled());
        } catch (IOException e) {
            throw new StoreException("status of node " + config.nodeId() + " unavailable: " + e.getMessage(), e);
        }
    }

    public String nodeId() {
        return config.nodeId();
    }

    public RatisStoreConfig config() {
        return config;
    }

    /** Stops the client, then the server (which snapshots, closes RocksDB and cancels watches). */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        closeQuietly(client);
        closeQuietly(server);
        leadership.stoppedLeading();
        scheduler.shutdown();
        try {
            if (!scheduler.awaitTermination(5, TimeUnit.SECONDS)) {
                scheduler.shutdownNow();
            }
        } catch (InterruptedException e) {
            scheduler.shutdownNow();
            Thread.currentThread().interrupt();
        }
        LOG.info("store node {} stopped", config.nodeId());
    }

    private Revisions revisions() {
        checkOpen();
        return client.revisions();
    }

    private void checkOpen() {
        if (closed) {
            throw new StoreException("store node " + config.nodeId() + " is closed");
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            LOG.warn("closing {} failed: {}", closeable, e.toString());
        }
    }

    /** For tests in this package: the node's state machine. */
    KvStateMachine stateMachine() {
        return stateMachine;
    }
}
