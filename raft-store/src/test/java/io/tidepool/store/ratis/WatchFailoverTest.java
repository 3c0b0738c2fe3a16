package io.tidepool.store.ratis;

import io.tidepool.store.Await;
import io.tidepool.store.StoreException;
import io.tidepool.store.Watch;
import io.tidepool.store.WatchEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** A watch on a follower keeps delivering, without gap or duplicate, while the leader is replaced. */
class WatchFailoverTest {
    private static final Logger LOG = LoggerFactory.getLogger(WatchFailoverTest.class);
    private static final int WRITES = 400;

    @TempDir
    Path dir;

    @Test
    void aWatchOnAFollowerSurvivesALeaderChange() throws Exception {
        try (TestCluster cluster = TestCluster.start(3, dir, config -> config)) {
            RatisStore leader = cluster.awaitLeader();
            RatisStore follower = cluster.followers().get(0);
            long from = follower.currentRevision() + 1;
            Watch watch = follower.watch("watched/", from);
            Set<String> acknowledged = ConcurrentHashMap.newKeySet();
            ExecutorService writer = Executors.newSingleThreadExecutor();
            Future<?> writes = writer.submit(() -> {
                for (int i = 0; i < WRITES; i++) {
                    try {
                        follower.put("watched/" + i, bytes("v" + i));
                        acknowledged.add("watched/" + i);
                    } catch (StoreException e) {
                        LOG.info("write {} has an unknown outcome: {}", i, e.getMessage());
                    }
                }
            });
            List<WatchEvent> events = new ArrayList<>();
            Await.until(Duration.ofSeconds(30), "a quarter of the writes watched", () -> {
                events.addAll(pollQuietly(watch));
                return events.size() >= WRITES / 4;
            });
            cluster.stopNode(leader.nodeId());
            writes.get();
            writer.shutdown();
            long last = follower.currentRevision();
            Await.until(Duration.ofSeconds(30), "every write watched", () -> {
                events.addAll(pollQuietly(watch));
                return !events.isEmpty() && events.get(events.size() - 1).revision() >= last;
            });
            watch.close();

            List<Long> revisions = events.stream().map(WatchEvent::revision).toList();
            for (int i = 1; i < revisions.size(); i++) {
                assertThat(revisions.get(i)).as("event %d follows its predecessor directly", i)
                        .isEqualTo(revisions.get(i - 1) + 1);
            }
            assertThat(revisions.get(0)).isEqualTo(from);
            assertThat(events.stream().map(event -> event.kv().key()).toList()).containsAll(acknowledged);
            assertThat(cluster.awaitLeader().nodeId()).isNotEqualTo(leader.nodeId());
        }
    }

    private static List<WatchEvent> pollQuietly(Watch watch) {
        try {
            return watch.poll(Duration.ofMillis(50));
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
