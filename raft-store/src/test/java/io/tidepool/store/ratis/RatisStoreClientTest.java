package io.tidepool.store.ratis;

import io.tidepool.store.Compare;
import io.tidepool.store.KeyValue;
import io.tidepool.store.Op;
import io.tidepool.store.StoreException;
import io.tidepool.store.Txn;
import io.tidepool.store.TxnResult;
import io.tidepool.store.WatchCollector;
import io.tidepool.store.WatchEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A client that holds no replica reads and writes a running store like its nodes do. */
class RatisStoreClientTest {
    @TempDir
    Path dir;

    @Test
    void aClientWithoutAReplicaReadsAndWritesTheStore() throws Exception {
        try (TestCluster cluster = TestCluster.start(1, dir, config -> config);
             RatisStoreClient client = RatisStoreClient.connect(cluster.configOf("n1").peers())) {
            long first = client.put("tools/a", bytes("1"));
            TxnResult cas = client.txn(Txn.of(List.of(Compare.modRevisionIs("tools/a", first)),
                    List.of(new Op.Put("tools/a", bytes("2")))));

            assertThat(cas).isEqualTo(new TxnResult(true, first + 1));
            assertThat(client.get("tools/a")).map(KeyValue::value).contains(bytes("2"));
            assertThat(cluster.node("n1").get("tools/a")).map(KeyValue::version).contains(2L);
            assertThat(client.range("tools/", null, 0).items()).hasSize(1);
            assertThat(client.currentRevision()).isEqualTo(first + 1);
            client.compact(first + 1);
            assertThat(client.firstWatchableRevision()).isEqualTo(first + 1);
            assertThatThrownBy(() -> client.compact(first + 10)).isInstanceOf(StoreException.class);
        }
    }

    @Test
    void concurrentWritersShareLogEntriesYetEachGetsItsOwnRevisionAndEvent() throws Exception {
        int writers = 16;
        int putsEach = 25;
        try (TestCluster cluster = TestCluster.start(1, dir, config -> config);
             RatisStoreClient client = RatisStoreClient.connect(cluster.configOf("n1").peers())) {
            RatisStore node = cluster.node("n1");
            long before = node.currentRevision();
            long appliedBefore = node.status().appliedIndex();
            WatchCollector watch = new WatchCollector(node.watch("load/", before + 1));
            ExecutorService pool = Executors.newFixedThreadPool(writers);
            List<Future<List<Long>>> results = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                results.add(pool.submit(() -> {
                    List<Long> revisions = new ArrayList<>();
                    for (int i = 0; i < putsEach; i++) {
                        revisions.add(client.put("load/" + writer + "/" + i, bytes("v" + i)));
                    }
                    return revisions;
                }));
            }
            List<Long> revisions = new ArrayList<>();
            for (Future<List<Long>> result : results) {
                revisions.addAll(result.get());
            }
            pool.shutdown();

            int total = writers * putsEach;
            assertThat(revisions).doesNotHaveDuplicates().hasSize(total)
                    .allMatch(revision -> revision > before && revision <= before + total);
            assertThat(watch.awaitEvents(total, Duration.ofSeconds(30))).extracting(WatchEvent::revision)
                    .isSorted().doesNotHaveDuplicates().hasSize(total);
            assertThat(node.range("load/").items()).hasSize(total);
            assertThat(node.status().appliedIndex() - appliedBefore).as("log entries used for %d puts", total)
                    .isLessThan(total);
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
