package io.tidepool.store.ratis;

import io.tidepool.store.Await;
import io.tidepool.store.StoreException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Starting and stopping nodes in one JVM leaves no threads behind, and leaders compact history. */
class NodeLifecycleTest {
    @TempDir
    Path dir;

    @Test
    void stoppedNodesLeaveNoThreadsBehind() throws Exception {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        for (int i = 0; i < 5; i++) {
            cycle();
        }
        // gRPC's event loops are JVM-wide pools of a fixed size, shared by every node and kept
        // while any server or channel of the JVM holds them; anything else a node starts must end.
        try {
            Await.until(Duration.ofSeconds(15), "the nodes' threads to end", () -> startedSince(before).isEmpty());
        } catch (AssertionError timedOut) {
            assertThat(startedSince(before)).as(timedOut.getMessage()).isEmpty();
        }
    }

    private static List<String> startedSince(Set<Thread> before) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> !before.contains(t))
                .map(Thread::getName)
                .filter(name -> !name.startsWith("grpc-default-") && !name.startsWith("grpc-shared-destroyer"))
                .sorted()
                .toList();
    }

    @Test
    void aNodeWhoseRaftPortIsTakenFailsItsStartAndLeavesTheJvmRunning() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String address = "127.0.0.1:" + taken.getLocalPort();

            // Ratis' own answer is System.exit(1), which ended a whole test run in CI.
            assertThatThrownBy(() -> RatisStore.start(RatisStoreConfig.singleNode("n1", dir.resolve("n1"), address)))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("cannot start store node n1 at " + address)
                    .hasMessageContaining("in use");
        }
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("tidepool-store-n1"));
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
