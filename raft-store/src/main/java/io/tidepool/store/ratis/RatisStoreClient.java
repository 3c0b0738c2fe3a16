package io.tidepool.store.ratis;

import io.tidepool.store.KeyValue;
import io.tidepool.store.Limits;
import io.tidepool.store.Op;
import io.tidepool.store.RangeResult;
import io.tidepool.store.StoreException;
import io.tidepool.store.Txn;
import io.tidepool.store.TxnResult;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reads and writes a replicated store through its Raft group without holding a replica: for tools
 * and load generators, and inside every {@link RatisStore} node for that node's own calls. Writes
 * go to the leader (the Ratis client follows redirects and retries within {@code operationTimeout});
 * reads are linearizable (ReadIndex on the leader). Watches need a replica, so they are served by
 * {@link RatisStore} only. Transactions from concurrent callers share log entries when the group is
 * busy ({@link TxnBatcher}); each still gets its own revision and result.
 *
 * <p>Exactly once: a retry of a request (same client id and call id) after a leader change gets
 * the first result from Ratis' retry cache instead of being applied again. A call that fails has
 * an unknown outcome, which is why writes that matter compare revisions.
 */
public final class RatisStoreClient implements AutoCloseable {
    /**
     * Batches of transactions on their way at once (see {@link TxnBatcher}). Two keep the leader's
     * log busy while the previous batch is applied and answered; more made no difference and one
     * was slower (docs/BENCHMARKS.md).
     */
    static final int BATCHES_IN_FLIGHT = 2;

    private final String where;
    private final Duration operationTimeout;
    private final RaftClient client;
    private final ExecutorService senders;
    private final TxnBatcher batcher;
    private volatile boolean closed;

    private RatisStoreClient(String where, Duration operationTimeout, RaftClient client) {
        this.where = where;
        this.operationTimeout = operationTimeout;
        this.client = client;
        AtomicInteger threads = new AtomicInteger();
        // One thread per batch in flight at most, plus one for compactions.
        this.senders = Executors.newFixedThreadPool(BATCHES_IN_FLIGHT + 1, runnable -> {
            Thread thread = new Thread(runnable, "tidepool-store-client-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.batcher = new TxnBatcher(this::sendWrite, BATCHES_IN_FLIGHT, senders);
    }

    /** A client of the store named {@link RatisStoreConfig#DEFAULT_CLUSTER_NAME} with the default timeouts. */
    public static RatisStoreClient connect(List<Peer> peers) {
        return connect(peers, RatisStoreConfig.DEFAULT_CLUSTER_NAME, Duration.ofSeconds(3), Duration.ofSeconds(15));
    }

    /**
     * A client of the store whose nodes are {@code peers}; no connection is made until the first call.
     *
     * @param rpcTimeout       one attempt of a request
     * @param operationTimeout one call, retries included
     */
    public static RatisStoreClient connect(List<Peer> peers, String clusterName, Duration rpcTimeout,
                                           Duration operationTimeout) {
        if (peers.isEmpty()) {
            throw new IllegalArgumentException("a store client needs at least one peer");
        }
        return open(" through " + peers.stream().map(Peer::id).toList(), peers, clusterName, rpcTimeout,
                operationTimeout);
    }

    /** The client a node uses for its own calls. */
    static RatisStoreClient forNode(RatisStoreConfig config) {
        return open(" on node " + config.nodeId(), config.peers(), config.clusterName(), config.rpcTimeout(),
                config.operationTimeout());
    }

    private static RatisStoreClient open(String where, List<Peer> peers, String clusterName, Duration rpcTimeout,
                                         Duration operationTimeout) {
        RaftClient client = RaftClient.newBuilder()
                .setClientId(ClientId.randomId())
                .setRaftGroup(RaftSettings.group(clusterName, peers))
                .setProperties(RaftSettings.client(rpcTimeout))
                .setRetryPolicy(RaftSettings.retryPolicy(operationTimeout))
                .build();
        return new RatisStoreClient(where, operationTimeout, client);
    }

    public Optional<KeyValue> get(String key) {
        Limits.checkKey(key);
        return ReplyCodec.decodeGet(read(new Query.Get(key)));
    }

    /** As {@link io.tidepool.store.Store#range(String, String, int)}. */
    public RangeResult range(String prefix, String startAfter, int limit) {
        Limits.checkRange(prefix, startAfter, limit);
        return ReplyCodec.decodeRange(read(new Query.Range(prefix, startAfter, limit)));
    }

    /** Runs the transaction atomically; a failed compare is a normal result, not an exception. */
    public TxnResult txn(Txn txn) {
        Limits.checkTxn(txn);
        checkOpen();
        CompletableFuture<TxnResult> result = batcher.submit(txn);
        String outcome = "; it may or may not have been applied";
        try {
            // The retry policy gives up after the operation timeout; this only guards against a lost reply.
            return result.get(2 * operationTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof StoreException failed) {
                throw failed;
            }
            throw failure("write", e.getCause(), outcome);
        } catch (TimeoutException e) {
            throw failure("write", e, outcome);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure("write", e, outcome);
        }
    }

    /** Puts one key unconditionally and returns the revision of the write. */
    public long put(String key, byte[] value) {
        return txn(Txn.of(List.of(), List.of(new Op.Put(key, value)))).revision();
    }

    public long currentRevision() {
        return revisions().current();
    }

    public long firstWatchableRevision() {
        return revisions().firstWatchable();
    }

    /** As {@link io.tidepool.store.Store#compact(long)}. */
    public void compact(long revision) {
        Limits.checkRevision(revision);
        CompactResult result = ReplyCodec.decodeCompact(write(new Command.Compact(revision)));
        if (!result.accepted()) {
            throw new StoreException("cannot compact at revision " + revision + ": the store is at revision "
                    + result.currentRevision());
        }
    }

    @Override
    public void close() {
        closed = true;
        senders.shutdown();
        try {
            client.close();
        } catch (IOException e) {
            throw new StoreException("closing the store client" + where + " failed: " + e.getMessage(), e);
        }
    }

    Revisions revisions() {
        return ReplyCodec.decodeRevisions(read(new Query.Revisions()));
    }

    /** Proposes a compaction without blocking the caller (blocking sends: see {@link TxnBatcher}). */
    CompletableFuture<CompactResult> proposeCompaction(long revision) {
        return CompletableFuture.supplyAsync(() -> ReplyCodec.decodeCompact(write(new Command.Compact(revision))),
                senders);
    }

    private byte[] read(Query query) {
        checkOpen();
        try {
            return content(client.io().sendReadOnly(message(CommandCodec.encode(query))), "read");
        } catch (IOException e) {
            throw failure("read", e, "");
        }
    }

    private byte[] write(Command command) {
        checkOpen();
        return sendWrite(CommandCodec.encode(command));
    }

    private byte[] content(RaftClientReply reply, String what) {
        if (!reply.isSuccess()) {
            throw new StoreException(what + " failed" + where + ": " + reply.getException(), reply.getException());
        }
        return reply.getMessage().getContent().toByteArray();
    }

    private byte[] sendWrite(byte[] command) {
        try {
            return content(client.io().send(message(command)), "write");
        } catch (IOException e) {
            throw failure("write", e, "; it may or may not have been applied");
        }
    }

    private StoreException failure(String what, Throwable e, String outcome) {
        if (e instanceof InterruptedIOException) {
            Thread.currentThread().interrupt();
        }
        return new StoreException(what + " failed" + where + " within " + operationTimeout.toMillis() + " ms: "
                + e.getMessage() + outcome, e);
    }

    private void checkOpen() {
        if (closed) {
            throw new StoreException("store client" + where + " is closed");
        }
    }

    private static Message message(byte[] bytes) {
        return Message.valueOf(ByteString.copyFrom(bytes));
    }
}
