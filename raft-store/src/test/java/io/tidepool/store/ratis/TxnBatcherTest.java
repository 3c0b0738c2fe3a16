package io.tidepool.store.ratis;

import io.tidepool.store.Op;
import io.tidepool.store.StoreException;
import io.tidepool.store.Txn;
import io.tidepool.store.TxnResult;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Group commit without Raft: a fake group answers each command as a replica would, revision by revision. */
class TxnBatcherTest {
    private final List<Command> sent = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong revision = new AtomicLong();

    @Test
    void aLoneTransactionIsSentAtOnceOnTheCallersThreadAsAPlainWrite() throws Exception {
        List<String> senderThreads = new ArrayList<>();
        TxnBatcher batcher = new TxnBatcher(command -> {
            senderThreads.add(Thread.currentThread().getName());
            return answer(command);
        }, 2, runnable -> {
            throw new AssertionError("nothing queued, so nothing goes to the executor");
        });

        CompletableFuture<TxnResult> result = batcher.submit(put("a"));

        assertThat(result).isCompletedWithValue(new TxnResult(true, 1));
        assertThat(senderThreads).containsExactly(Thread.currentThread().getName());
        assertThat(sent).singleElement().isInstanceOf(Command.Write.class);
    }

    @Test
    void transactionsSubmittedWhileTheBatchesInFlightAreFullTravelTogetherEachWithItsOwnResult()
            throws Exception {
        CountDownLatch firstSent = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        ExecutorService executor = Executors.newSingleThreadExecutor();
        TxnBatcher batcher = new TxnBatcher(command -> {
            if (sent.isEmpty()) {
                firstSent.countDown();
                await(releaseFirst);
            }
            return answer(command);
        }, 1, executor);
        CompletableFuture<CompletableFuture<TxnResult>> first = CompletableFuture.supplyAsync(
                () -> batcher.submit(put("first")));
        firstSent.await(10, TimeUnit.SECONDS);

        List<CompletableFuture<TxnResult>> queued = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            queued.add(batcher.submit(put("queued/" + i)));
        }
        assertThat(queued).noneMatch(CompletableFuture::isDone);
        releaseFirst.countDown();

        assertThat(first.get(10, TimeUnit.SECONDS).get(10, TimeUnit.SECONDS)).isEqualTo(new TxnResult(true, 1));
        for (int i = 0; i < 5; i++) {
            assertThat(queued.get(i).get(10, TimeUnit.SECONDS)).isEqualTo(new TxnResult(true, 2 + i));
        }
        assertThat(sent).hasSize(2);
        assertThat(sent.get(1)).isInstanceOfSatisfying(Command.Batch.class,
                batch -> assertThat(batch.txns()).hasSize(5));
        executor.shutdownNow();
    }

    @Test
    void aFailedBatchFailsItsTransactionsAndTheNextOnesGoThrough() throws Exception {
        TxnBatcher batcher = new TxnBatcher(command -> {
            if (sent.isEmpty()) {
                sent.add(CommandCodec.decodeCommand(command));
                throw new StoreException("leader unreachable");
            }
            return answer(command);
        }, 1, Runnable::run);

        assertThatThrownBy(() -> batcher.submit(put("lost")).join()).hasCauseInstanceOf(StoreException.class);
        assertThat(batcher.submit(put("next")).get(10, TimeUnit.SECONDS)).isEqualTo(new TxnResult(true, 1));
    }

    /** Decodes the command as a replica would and answers with consecutive revisions. */
    private byte[] answer(byte[] bytes) {
        Command command = CommandCodec.decodeCommand(bytes);
        sent.add(command);
        if (command instanceof Command.Batch batch) {
            return ReplyCodec.encodeBatch(batch.txns().stream()
                    .map(txn -> new TxnResult(true, revision.incrementAndGet())).toList());
        }
        return ReplyCodec.encode(new TxnResult(true, revision.incrementAndGet()));
    }

    private static Txn put(String key) {
        return Txn.of(List.of(), List.of(new Op.Put(key, new byte[] {1})));
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
