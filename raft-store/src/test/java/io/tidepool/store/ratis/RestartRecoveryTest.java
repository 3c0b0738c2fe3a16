package io.tidepool.store.ratis;

import io.tidepool.store.KeyValue;
import io.tidepool.store.WatchCollector;
import io.tidepool.store.WatchEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** A node restarted from its directory recovers every acknowledged write, its history included. */
class RestartRecoveryTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void aSingleNodeRecoversEverythingAfterARestart() throws Exception {
        try (TestCluster cluster = TestCluster.start(1, dir, config -> config.withSnapshots(100, 20, 16 * 1024))) {
            RatisStore node = cluster.node("n1");
            writeKeys(node, "single/", 250);
            List<KeyValue> before = node.range("single/").items();
            long revision = node.currentRevision();

            node = cluster.restartNode("n1");
            cluster.awaitLeader();
            assertThat(node.range("single/").items()).isEqualTo(before);
            assertThat(node.currentRevision()).isEqualTo(revision);
            assertThat(node.status().snapshotIndex()).as("snapshots were taken").isPositive();
            assertThat(new WatchCollector(node.watch("single/", 1)).awaitEvents(250, WAIT))
                    .extracting(WatchEvent::revision).isSorted().hasSize(250);
            assertThat(node.put("single/after", bytes("x"))).isEqualTo(revision + 1);
        }
    }

    /**
     * Pitfall P3: the live DB is ahead of the newest snapshot (a crash after applying, before the
     * next snapshot; here the snapshot taken at stop is removed). Ratis replays from the snapshot
     * index, so the node must checkpoint at start or it fails to come up.
     */
    @Test
    void aNodeWhoseStateIsAheadOfItsNewestSnapshotStartsAndKeepsEverything() throws Exception {
        try (TestCluster cluster = TestCluster.start(1, dir, config -> config.withSnapshots(100, 20, 16 * 1024))) {
            RatisStore node = cluster.node("n1");
            writeKeys(node, "ahead/", 230);
            List<KeyValue> before = node.range("ahead/").items();
            long revision = node.currentRevision();
            Path dataDir = cluster.configOf("n1").dataDir();
            cluster.stopNode("n1");
            List<Path> snapshots = snapshotDirs(dataDir);
            assertThat(snapshots).hasSizeGreaterThanOrEqualTo(2);
            deleteRecursively(snapshots.get(0));
            long olderSnapshot = indexOf(snapshots.get(1));

            node = cluster.startNode("n1");
            cluster.awaitLeader();
            assertThat(node.range("ahead/").items()).isEqualTo(before);
            assertThat(node.status().snapshotIndex()).as("a checkpoint taken at start").isGreaterThan(olderSnapshot);
            assertThat(node.put("ahead/after", bytes("x"))).isEqualTo(revision + 1);

            node = cluster.restartNode("n1");
            cluster.awaitLeader();
            assertThat(node.get("ahead/after")).isPresent();
            assertThat(node.range("ahead/").items()).hasSize(before.size() + 1);
        }
    }

    @Test
    void aClusterStoppedAndStartedTogetherKeepsEverything() throws Exception {
        try (TestCluster cluster = TestCluster.start(3, dir, config -> config.withSnapshots(100, 20, 16 * 1024))) {
            writeKeys(cluster.followers().get(0), "cluster/", 150);
            List<KeyValue> before = cluster.awaitLeader().range("cluster/").items();
            long revision = cluster.awaitLeader().currentRevision();
            cluster.awaitRevisionEverywhere(revision);
            for (String id : List.of("n1", "n2", "n3")) {
                cluster.stopNode(id);
            }
            for (String id : List.of("n3", "n1", "n2")) {
                cluster.startNode(id);
            }
            RatisStore leader = cluster.awaitLeader();
            assertThat(leader.range("cluster/").items()).isEqualTo(before);
            assertThat(leader.currentRevision()).isEqualTo(revision);
            cluster.awaitRevisionEverywhere(revision);
            for (RatisStore node : cluster.nodes()) {
                assertThat(node.stateMachine().localRange("cluster/").items()).as(node.nodeId()).isEqualTo(before);
            }
        }
    }

    static void writeKeys(RatisStore node, String prefix, int count) {
        for (int i = 0; i < count; i++) {
            node.put(prefix + (i % 40), bytes("value " + i));
        }
    }

    /** Snapshot directories under a node's data directory, newest first. */
    static List<Path> snapshotDirs(Path dataDir) throws IOException {
        try (Stream<Path> walk = Files.walk(dataDir)) {
            return walk.filter(Files::isDirectory)
                    .filter(path -> path.getFileName().toString().matches("snapshot\\.\\d+_\\d+"))
                    .sorted(Comparator.comparingLong(RestartRecoveryTest::indexOf).reversed()).toList();
        }
    }

    static long indexOf(Path snapshotDir) {
        String name = snapshotDir.getFileName().toString();
        return Long.parseLong(name.substring(name.indexOf('_') + 1));
    }

    private static void deleteRecursively(Path path) throws IOException {
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
