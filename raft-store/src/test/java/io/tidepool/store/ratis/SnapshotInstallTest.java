package io.tidepool.store.ratis;

import io.tidepool.store.Await;
import io.tidepool.store.Watch;
import io.tidepool.store.WatchCancelledException;
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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A follower that was down while the leader snapshotted and purged its log past the follower's
 * position can only catch up through a snapshot install (RocksDB checkpoint files streamed by Ratis).
 */
class SnapshotInstallTest {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotInstallTest.class);
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int THRESHOLD = 100;

    @TempDir
    Path dir;

    @Test
    void aFollowerFarBehindCatchesUpThroughASnapshotAndItsWatchGoesOn() throws Exception {
        try (TestCluster cluster = TestCluster.start(3, dir,
                config -> config.withSnapshots(THRESHOLD, 20, 8 * 1024))) {
            RatisStore leader = cluster.awaitLeader();
            RatisStore lagging = cluster.followers().get(0);
            String laggingId = lagging.nodeId();
            long from = leader.put("install/first", bytes("before")) ;
            cluster.awaitRevisionEverywhere(from);
            cluster.stopNode(laggingId);

            writeOneByOne(leader, 4 * THRESHOLD);
            long revision = leader.currentRevision();
            assertThat(leader.status().snapshotIndex()).as("the leader snapshotted").isGreaterThan(from);

            long startedAt = System.nanoTime();
            lagging = cluster.startNode(laggingId);
            // Opened at once, so the install most likely happens while it is open; either way it
            // must deliver the full history from `from`, or be cancelled with where to resume.
            Watch watch = lagging.watch("install/", from);
            RatisStore restarted = lagging;
            Await.until(WAIT, laggingId + " to catch up", () -> restarted.status().revision() >= revision);
            LOG.info("{} caught up to revision {} in {} ms", laggingId, revision, (System.nanoTime() - startedAt) / 1_000_000);
            assertThat(lagging.status().snapshotsInstalled()).as("a snapshot was installed").isPositive();
            assertThat(lagging.stateMachine().localRange("")).isEqualTo(leader.stateMachine().localRange(""));

            List<WatchEvent> expected = drain(leader.watch("install/", from), 1 + 4 * THRESHOLD);
            List<WatchEvent> delivered = new ArrayList<>();
            try {
                delivered.addAll(drain(watch, expected.size()));
            } catch (WatchCancelledException e) {
                LOG.info("watch on {} cancelled at revision {}: {}", laggingId, e.resumeRevision(), e.getMessage());
                assertThat(e.resumeRevision()).isGreaterThanOrEqualTo(from);
                delivered.clear();
                delivered.addAll(expected.stream().filter(event -> event.revision() < e.resumeRevision()).toList());
                delivered.addAll(drain(lagging.watch("install/", e.resumeRevision()),
                        (int) expected.stream().filter(event -> event.revision() >= e.resumeRevision()).count()));
            }
            assertThat(delivered).isEqualTo(expected);
        }
    }

    private static List<WatchEvent> drain(Watch watch, int count) throws InterruptedException {
        List<WatchEvent> events = new ArrayList<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (events.size() < count && System.nanoTime() < deadline) {
            events.addAll(watch.poll(Duration.ofMillis(200)));
        }
        watch.close();
        assertThat(events).hasSize(count);
        return events;
    }

    /**
     * One writer, so that every put is a log entry of its own (concurrent ones would share entries,
     * see TxnBatcher) and the log outgrows the snapshot threshold several times.
     */
    private static void writeOneByOne(RatisStore node, int writes) {
        for (int i = 0; i < writes; i++) {
            node.put("install/" + i, bytes("value " + i));
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
