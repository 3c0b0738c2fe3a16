package io.tidepool.store.ratis;

import io.tidepool.store.Watch;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How to start one node of a {@link RatisStore}. Start from {@link #singleNode} or {@link #cluster}
 * and adjust with the {@code with...} methods; the defaults suit a control plane on small machines.
 *
 * @param nodeId                     this node's id; must be one of {@code peers}
 * @param dataDir                    this node's own directory (Raft log, snapshots, RocksDB)
 * @param peers                      every member of the group, this node included, with Raft addresses
 * @param clusterName                names the Raft group; the same on every node of one store
 * @param electionTimeoutMin         a follower waits at least this long without a leader before it
 *                                   stands for election
 * @param electionTimeoutMax         ... and at most this long
 * @param rpcTimeout                 one attempt of a client request or a Raft RPC
 * @param operationTimeout           one store call, retries included (a leader change takes ~1 s)
 * @param snapshotThresholdEntries   take a snapshot after this many applied log entries
 * @param logPreservedEntries        log entries kept before the snapshot index when purging, so a
 *                                   follower slightly behind catches up from the log, not a snapshot
 * @param logSegmentBytes            size of a Raft log segment; the log is purged in whole segments
 * @param compactionRetainedRevisions the leader compacts the change history to keep this many revisions
 * @param compactionInterval         how often the leader checks whether to compact
 * @param watchBufferedEventsMax     live events one watch may have waiting before it is cancelled
 */
public record RatisStoreConfig(String nodeId, Path dataDir, List<Peer> peers, String clusterName,
                               Duration electionTimeoutMin, Duration electionTimeoutMax, Duration rpcTimeout,
                               Duration operationTimeout, long snapshotThresholdEntries, long logPreservedEntries,
                               long logSegmentBytes, long compactionRetainedRevisions, Duration compactionInterval,
                               int watchBufferedEventsMax) {

    public static final String DEFAULT_CLUSTER_NAME = "tidepool";

    public RatisStoreConfig {
        peers = List.copyOf(peers);
        if (peers.stream().noneMatch(peer -> peer.id().equals(nodeId))) {
            throw new IllegalArgumentException("node " + nodeId + " is not among the peers " + peers);
        }
        if (peers.stream().map(Peer::id).distinct().count() != peers.size()) {
            throw new IllegalArgumentException("peer ids must be unique: " + peers);
        }
        if (dataDir == null || clusterName == null || clusterName.isBlank()) {
            throw new IllegalArgumentException("dataDir and clusterName are required");
        }
        requirePositive(electionTimeoutMin, "electionTimeoutMin");
        requirePositive(rpcTimeout, "rpcTimeout");
        requirePositive(operationTimeout, "operationTimeout");
        requirePositive(compactionInterval, "compactionInterval");
        if (electionTimeoutMax == null || electionTimeoutMax.compareTo(electionTimeoutMin) <= 0) {
            throw new IllegalArgumentException("electionTimeoutMax must be greater than electionTimeoutMin");
        }
        if (snapshotThresholdEntries < 1 || logPreservedEntries < 0 || logSegmentBytes < 1024
                || compactionRetainedRevisions < 1 || watchBufferedEventsMax < 1) {
            throw new IllegalArgumentException("snapshot threshold, segment size, retention and watch buffer "
                    + "must be positive, the preserved log entries not negative");
        }
    }

    /** A store of one node: every write is committed once it is fsynced locally. */
    public static RatisStoreConfig singleNode(String nodeId, Path dataDir, String address) {
        return cluster(nodeId, dataDir, List.of(new Peer(nodeId, address)));
    }

    /** One node of a store of several (3 or 5 tolerate 1 or 2 failures). */
    public static RatisStoreConfig cluster(String nodeId, Path dataDir, List<Peer> peers) {
        return new RatisStoreConfig(nodeId, dataDir, peers, DEFAULT_CLUSTER_NAME, Duration.ofMillis(300),
                Duration.ofMillis(600), Duration.ofSeconds(3), Duration.ofSeconds(15), 20_000, 5_000, 8L << 20,
                100_000, Duration.ofMinutes(1), Watch.MAX_BUFFERED_EVENTS);
    }

    public Peer self() {
        return peers.stream().filter(peer -> peer.id().equals(nodeId)).findFirst().orElseThrow();
    }

    public RatisStoreConfig withClusterName(String name) {
        return new RatisStoreConfig(nodeId, dataDir, peers, name, electionTimeoutMin, electionTimeoutMax, rpcTimeout,
                operationTimeout, snapshotThresholdEntries, logPreservedEntries, logSegmentBytes,
                compactionRetainedRevisions, compactionInterval, watchBufferedEventsMax);
    }

    public RatisStoreConfig withElectionTimeout(Duration min, Duration max) {
        return new RatisStoreConfig(nodeId, dataDir, peers, clusterName, min, max, rpcTimeout, operationTimeout,
                snapshotThresholdEntries, logPreservedEntries, logSegmentBytes, compactionRetainedRevisions,
                compactionInterval, watchBufferedEventsMax);
    }

    public RatisStoreConfig withTimeouts(Duration rpc, Duration operation) {
        return new RatisStoreConfig(nodeId, dataDir, peers, clusterName, electionTimeoutMin, electionTimeoutMax, rpc,
                operation, snapshotThresholdEntries, logPreservedEntries, logSegmentBytes,
                compactionRetainedRevisions, compactionInterval, watchBufferedEventsMax);
    }

    public RatisStoreConfig withSnapshots(long thresholdEntries, long preservedEntries, long segmentBytes) {
        return new RatisStoreConfig(nodeId, dataDir, peers, clusterName, electionTimeoutMin, electionTimeoutMax,
                rpcTimeout, operationTimeout, thresholdEntries, preservedEntries, segmentBytes,
                compactionRetainedRevisions, compactionInterval, watchBufferedEventsMax);
    }

    public RatisStoreConfig withCompaction(long retainedRevisions, Duration interval) {
        return new RatisStoreConfig(nodeId, dataDir, peers, clusterName, electionTimeoutMin, electionTimeoutMax,
                rpcTimeout, operationTimeout, snapshotThresholdEntries, logPreservedEntries, logSegmentBytes,
                retainedRevisions, interval, watchBufferedEventsMax);
    }

    public RatisStoreConfig withWatchBufferedEventsMax(int events) {
        return new RatisStoreConfig(nodeId, dataDir, peers, clusterName, electionTimeoutMin, electionTimeoutMax,
                rpcTimeout, operationTimeout, snapshotThresholdEntries, logPreservedEntries, logSegmentBytes,
                compactionRetainedRevisions, compactionInterval, events);
    }

    private static void requirePositive(Duration duration, String name) {
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }
}
