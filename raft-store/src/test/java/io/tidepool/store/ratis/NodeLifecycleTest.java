package io.tidepool.store.ratis;

import io.tidepool.store.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Starting and stopping nodes in one JVM leaves no threads behind, and leaders compact history. */
class NodeLifecycleTest {
    private static final Logger LOG = LoggerFactory.getLogger(NodeLifecycleTest.class);

    @TempDir
    Path dir;

    @Test
    void stoppedNodesLeaveNoThreadsBehind() throws Exception {
        int before = Thread.activeCount();
        for (int i = 0; i < 5; i++) {
            cycle();
        }
        // A leak of one thread per node would leave at least five; allow for JVM-wide pools that
        // the first node creates (gRPC's shared executors, Ratis' timers).
        Await.until(Duration.ofSeconds(15), "threads to wind down to about " + before,
                () -> Thread.activeCount() <= before + 2);
        LOG.info("threads before five start/stop cycles {}, after {}", before, Thread.activeCount());
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("tidepool-store-"));
    }

    @Test
    void theLeaderCompactsTheHistoryBeyondTheRetention() throws Exception {
        try (TestCluster cluster = TestCluster.start(1, dir,
                config -> config.withCompaction(10, Duration.ofMillis(100)))) {
            RatisStore node = cluster.node("n1");
            for (int i = 0; i < 40; i++) {
                node.put("compacted/" + i, new byte[] {1});
            }
            long current = node.currentRevision();
            Await.until(Duration.ofSeconds(20), "compaction to the retention",
                    () -> node.firstWatchableRevision() == current - 10 + 1);
            assertThat(node.range("compacted/").items()).hasSize(40);
        }
    }

    @Test
    void compactionTargetsKeepTheRetainedRevisions() {
        assertThat(Compactor.target(new Revisions(100, 1), 10)).isEqualTo(91);
        assertThat(Compactor.target(new Revisions(100, 91), 10)).isZero();
        assertThat(Compactor.target(new Revisions(5, 1), 10)).isZero();
    }

    private void cycle() throws Exception {
        try (TestCluster cluster = TestCluster.start(1, dir, config -> config)) {
            cluster.node("n1").put("cycle", new byte[] {1});
        }
    }
}
