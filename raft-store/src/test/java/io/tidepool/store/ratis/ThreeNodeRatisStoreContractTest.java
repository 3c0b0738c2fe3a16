package io.tidepool.store.ratis;

import io.tidepool.store.Await;
import io.tidepool.store.Store;
import io.tidepool.store.StoreContract;
import io.tidepool.store.WatchCollector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The contract through a follower of a three-node group: its writes are redirected to the leader. */
class ThreeNodeRatisStoreContractTest extends StoreContract {
    @TempDir
    static Path dir;
    private TestCluster cluster;

    @Override
    protected Store openStore() throws Exception {
        cluster = TestCluster.start(3, dir, config -> config.withWatchBufferedEventsMax(WATCH_BUFFERED_EVENTS));
        return cluster.followers().get(0);
    }

    @Override
    protected void closeStore(Store store) {
        cluster.close();
    }

    /** The follower under test applies a write shortly after the leader acknowledged it. */
    @Override
    protected void awaitServedLocally(long revision) {
        RatisStore follower = (RatisStore) store();
        Await.until(WAIT, follower.nodeId() + " to apply revision " + revision,
                () -> follower.status().revision() >= revision);
    }

    @Test
    void aWriteThroughOneNodeIsReadAtOnceOnEveryOther() {
        RatisStore follower = (RatisStore) store();
        assertThat(follower.leadership().isLeader()).isFalse();
        for (int i = 0; i < 20; i++) {
            long revision = follower.put(prefix() + "k", bytes("v" + i));
            for (RatisStore node : cluster.nodes()) {
                assertThat(node.get(prefix() + "k").orElseThrow().modRevision()).as(node.nodeId()).isEqualTo(revision);
                assertThat(node.currentRevision()).isGreaterThanOrEqualTo(revision);
            }
        }
    }

    @Test
    void everyNodeDeliversTheSameEvents() throws Exception {
        long from = store().currentRevision() + 1;
        for (int i = 0; i < 10; i++) {
            cluster.nodes().get(i % 3).put(prefix() + "k" + i, bytes("v" + i));
        }
        var first = new WatchCollector(cluster.nodes().get(0).watch(prefix(), from)).awaitEvents(10, WAIT);
        for (RatisStore node : cluster.nodes()) {
            assertThat(new WatchCollector(node.watch(prefix(), from)).awaitEvents(10, WAIT))
                    .as(node.nodeId()).isEqualTo(first);
        }
    }
}
