package io.tidepool.store.ratis;

import io.tidepool.store.Txn;
import io.tidepool.store.TxnResult;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Group commit for one client: transactions submitted while {@code inFlightMax} entries are already
 * on their way wait, and then travel together as one {@link Command.Batch} log entry. Nothing waits
 * when fewer are in flight: the caller sends at once, on its own thread, so a lone caller pays no
 * added latency; under load one Raft round, one fsync and one RocksDB write serve many callers. Each
 * transaction still applies on its own, at its own revision, all or nothing, and its caller gets
 * its own result. A batch is one Raft request, so a retry of it after a leader change is
 * deduplicated by Ratis' retry cache like any request.
 *
 * <p>Sends are blocking calls, one per batch: the caller's for the batch it opened, a thread of
 * {@code executor} for batches that queued meanwhile. (Ratis' ordered async stream would do without
 * those threads, but once one request on it fails for good, every later one fails too.)
 */
final class TxnBatcher {
    /** Most transactions in one entry; replicas refuse more. */
    static final int TXNS_MAX = 256;
    /** Encoded bytes at which a batch closes; a larger single transaction travels alone. */
    static final int BYTES_MAX = 1 << 20;

    private final Function<byte[], byte[]> sender;
    private final int inFlightMax;
    private final Executor executor;
    private final ReentrantLock lock = new ReentrantLock();
    // Bounded by the callers: each blocked caller has one transaction here at most.
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private int inFlight;

    private record Pending(byte[] txn, CompletableFuture<TxnResult> result) {
    }

    /**
     * @param sender      sends an encoded command to the group, blocking, and returns the reply's
     *                    bytes; throws when the outcome is unknown
     * @param inFlightMax batches sent and not yet answered before new transactions wait to be batched
     * @param executor    sends the batches that queued while others were in flight; it never holds
     *                    more than {@code inFlightMax} of them
     */
    TxnBatcher(Function<byte[], byte[]> sender, int inFlightMax, Executor executor) {
        if (inFlightMax < 1) {
            throw new IllegalArgumentException("inFlightMax must be positive");
        }
        this.sender = sender;
        this.inFlightMax = inFlightMax;
        this.executor = executor;
    }

    /**
     * Queues the transaction; the future completes with its result once its entry is applied. When
     * fewer than {@code inFlightMax} batches are in flight, this call sends a batch itself (with this
     * transaction in it) and returns once it is answered.
     */
    CompletableFuture<TxnResult> submit(Txn txn) {
        Pending pending = new Pending(CommandCodec.encodeTxn(txn), new CompletableFuture<>());
        List<Pending> batch = null;
        lock.lock();
        try {
            queue.add(pending);
            if (inFlight < inFlightMax) {
                batch = drain();
            }
        } finally {
            lock.unlock();
        }
        if (batch != null) {
            send(batch);
            sendNext();
        }
        return pending.result();
    }

    /** Under the lock: takes the next batch off the queue and counts it in flight. */
    private List<Pending> drain() {
        List<Pending> batch = new ArrayList<>();
        int bytes = 0;
        while (!queue.isEmpty() && batch.size() < TXNS_MAX) {
            int next = queue.peek().txn().length;
            if (!batch.isEmpty() && bytes + next > BYTES_MAX) {
                break;
            }
            bytes += next;
            batch.add(queue.poll());
        }
        inFlight++;
        return batch;
    }

    /** After a send: hands what queued meanwhile to the executor. */
    private void sendNext() {
        List<Pending> next = null;
        lock.lock();
        try {
            inFlight--;
            if (!queue.isEmpty()) {
                next = drain();
            }
        } finally {
            lock.unlock();
        }
        if (next == null) {
            return;
        }
        List<Pending> batch = next;
        try {
            executor.execute(() -> {
                send(batch);
                sendNext();
            });
        } catch (RejectedExecutionException e) {
            complete(batch, null, e);
            sendNext();
        }
    }

    private void send(List<Pending> batch) {
        byte[] command = batch.size() == 1 ? CommandCodec.encodeWrite(batch.get(0).txn())
                : CommandCodec.encodeBatch(batch.stream().map(Pending::txn).toList());
        byte[] reply = null;
        Throwable error = null;
        try {
            reply = sender.apply(command);
        } catch (RuntimeException e) {
            error = e;
        }
        complete(batch, reply, error);
    }

    private static void complete(List<Pending> batch, byte[] reply, Throwable error) {
        if (error != null) {
            batch.forEach(pending -> pending.result().completeExceptionally(error));
            return;
        }
        try {
            List<TxnResult> results = batch.size() == 1 ? List.of(ReplyCodec.decodeTxn(reply))
                    : ReplyCodec.decodeBatch(reply);
            if (results.size() != batch.size()) {
                throw new IllegalStateException(results.size() + " results for a batch of " + batch.size());
            }
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).result().complete(results.get(i));
            }
        } catch (RuntimeException e) {
            batch.forEach(pending -> pending.result().completeExceptionally(e));
        }
    }
}
