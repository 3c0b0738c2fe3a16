package io.tidepool.store.ratis;

import io.tidepool.store.Store;
import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.client.retry.RequestTypeDependentRetryPolicy;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.proto.RaftProtos.RaftClientRequestProto;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.retry.ExponentialBackoffRetry;
import org.apache.ratis.retry.RetryPolicy;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/** Turns a {@link RatisStoreConfig} into Ratis properties for the server and the client. */
final class RaftSettings {
    /**
     * Largest log entry: the biggest transaction the store accepts plus its encoding. Ratis refuses
     * entries above its appender buffer and needs a log write buffer at least that large.
     */
    static final int ENTRY_BYTES_MAX = Store.MAX_TXN_BYTES + Store.MAX_TXN_OPS * 64 + (1 << 20);
    private static final int MESSAGE_BYTES_MAX = 2 * ENTRY_BYTES_MAX;
    /** Sleep and attempts, in turn: 10 at once, 50 at 100 ms, then once a second for good (Ratis: 1ms,10, 1s,20, 5s,1000). */
    static final String APPENDER_RETRY_POLICY = "1ms,10, 100ms,50, 1s,1000000000";

    private RaftSettings() {
    }

    static RaftProperties server(RatisStoreConfig config) {
        RaftProperties properties = new RaftProperties();
        RaftServerConfigKeys.setStorageDir(properties, List.of(config.dataDir().toFile()));
        RaftConfigKeys.Rpc.setType(properties, new CommitPushingRpc());
        GrpcConfigKeys.Server.setHost(properties, config.self().host());
        GrpcConfigKeys.Server.setPort(properties, config.self().port());
        GrpcConfigKeys.setMessageSizeMax(properties, SizeInBytes.valueOf(MESSAGE_BYTES_MAX));

        RaftServerConfigKeys.Rpc.setTimeoutMin(properties, millis(config.electionTimeoutMin()));
        RaftServerConfigKeys.Rpc.setTimeoutMax(properties, millis(config.electionTimeoutMax()));
        RaftServerConfigKeys.Rpc.setRequestTimeout(properties, millis(config.rpcTimeout()));
        // Linearizable reads through ReadIndex (Raft thesis §6.4), like etcd's default reads.
        RaftServerConfigKeys.Read.setOption(properties, RaftServerConfigKeys.Read.Option.LINEARIZABLE);
        RaftServerConfigKeys.Read.setTimeout(properties, millis(config.rpcTimeout()));

        long threshold = config.snapshotThresholdEntries();
        RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(properties, true);
        RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(properties, threshold);
        RaftServerConfigKeys.Snapshot.setCreationGap(properties, Math.min(1024, threshold));
        RaftServerConfigKeys.Snapshot.setTriggerWhenStopEnabled(properties, true);

        // Purge up to the snapshot even when a follower lags: it then gets the snapshot instead.
        RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(properties, true);
        RaftServerConfigKeys.Log.setPurgePreservationLogNum(properties, config.logPreservedEntries());
        RaftServerConfigKeys.Log.setPurgeGap(properties, (int) Math.min(1024, threshold));
        RaftServerConfigKeys.Log.setSegmentSizeMax(properties, SizeInBytes.valueOf(config.logSegmentBytes()));
        // Closed segments kept in memory for followers that lag a little; each one the young GC
        // copies until it is promoted, so fewer than Ratis' 6 keep pauses short (docs/BENCHMARKS.md).
        RaftServerConfigKeys.Log.setSegmentCacheNumMax(properties, 2);
        // No log entry of its own for every commit-index change: it costs a log write per commit
        // (followers hear of a commit from CommitPushingRpc instead) and is not needed for safety (a restarted node learns the commit index from the leader, and
        // a single node commits its whole log with the first entry of its new term).
        RaftServerConfigKeys.Log.setLogMetadataEnabled(properties, false);
        // Ratis waits at least 10 ms between two appendEntries to a follower by default, a delay
        // every replicated write pays at low load (writes are batched by TxnBatcher instead). Zero
        // makes the appender spin while a request is outstanding; 1 ms costs little CPU.
        RaftServerConfigKeys.Log.Appender.setWaitTimeMin(properties, TimeDuration.valueOf(1, TimeUnit.MILLISECONDS));
        RaftServerConfigKeys.Log.Appender.setBufferByteLimit(properties, SizeInBytes.valueOf(ENTRY_BYTES_MAX));
        // A follower that failed 30 times (about 20 s down) is tried only every 5 s by default: a
        // node restarted after a leader's death caught up 12-20 s later in CasFailoverTest, 3-5 s
        // with this, and a group of three is one failure from unavailable until it has. Trying a
        // node that is down once a second after its first 5 s costs a refused connection a second.
        RaftServerConfigKeys.Log.Appender.setRetryPolicy(properties, APPENDER_RETRY_POLICY);
        RaftServerConfigKeys.Log.setWriteBufferSize(properties, SizeInBytes.valueOf(ENTRY_BYTES_MAX + 64 * 1024));
        // Every acknowledged write is fsynced to the Raft log first (unsafe-flush and async-flush stay off).
        RaftServerConfigKeys.Log.setUnsafeFlushEnabled(properties, false);
        RaftServerConfigKeys.Log.setAsyncFlushEnabled(properties, false);
        return properties;
    }

    static RaftProperties client(Duration rpcTimeout) {
        RaftProperties properties = new RaftProperties();
        RaftClientConfigKeys.Rpc.setRequestTimeout(properties, millis(rpcTimeout));
        GrpcConfigKeys.setMessageSizeMax(properties, SizeInBytes.valueOf(MESSAGE_BYTES_MAX));
        return properties;
    }

    /**
     * Bounded retries (the Ratis default retries forever without sleeping, P6): exponential backoff
     * from 20 ms up to 500 ms, until the operation timeout has passed since the call began.
     */
    static RetryPolicy retryPolicy(Duration operationTimeout) {
        RetryPolicy backoff = ExponentialBackoffRetry.newBuilder()
                .setBaseSleepTime(TimeDuration.valueOf(20, TimeUnit.MILLISECONDS))
                .setMaxSleepTime(TimeDuration.valueOf(500, TimeUnit.MILLISECONDS))
                .setMaxAttempts(1_000)
                .build();
        RequestTypeDependentRetryPolicy.Builder builder = RequestTypeDependentRetryPolicy.newBuilder();
        for (RaftClientRequestProto.TypeCase type : RaftClientRequestProto.TypeCase.values()) {
            builder.setRetryPolicy(type, backoff).setTimeout(type, millis(operationTimeout));
        }
        RetryPolicy byType = builder.build();
        // Events that are not client request retries fall back to Ratis' retry-forever in the
        // type-dependent policy; bound those by the backoff's attempt count instead.
        return event -> event instanceof org.apache.ratis.client.retry.ClientRetryEvent
                ? byType.handleAttemptFailure(event) : backoff.handleAttemptFailure(event);
    }

    /** The Raft group of a store: its id follows from the cluster name, so every node derives the same. */
    static RaftGroup group(String clusterName, List<Peer> peers) {
        RaftGroupId id = RaftGroupId.valueOf(UUID.nameUUIDFromBytes(("tidepool-store:" + clusterName)
                .getBytes(StandardCharsets.UTF_8)));
        return RaftGroup.valueOf(id, peers.stream()
                .map(peer -> RaftPeer.newBuilder().setId(peer.id()).setAddress(peer.address()).build())
                .toList());
    }

    private static TimeDuration millis(Duration duration) {
        return TimeDuration.valueOf(duration.toMillis(), TimeUnit.MILLISECONDS);
    }
}
