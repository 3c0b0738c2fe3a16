package io.tidepool.store.ratis;

import io.tidepool.store.Await;
import io.tidepool.store.Watch;
import io.tidepool.store.WatchEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A follower hears of a commit from the leader at once, not with the next heartbeat: its watchers
 * (host agents, consoles) see a write as soon as the leader's do.
 */
class FollowerCommitTest {
    /** Heartbeats every 2.5 s: a follower that learnt commits only from them would miss most deadlines below. */
    private static final Duration ELECTION_TIMEOUT_MIN = Duration.ofSeconds(5);
    private static final Duration WELL_BEFORE_A_HEARTBEAT = Duration.ofMillis(500);
    private static final int WRITES = 5;

    @TempDir
    Path dir;

    @Test
    void aFollowersWatchSeesEachWriteLongBeforeTheNextHeartbeat() throws Exception {
        try (TestCluster cluster = TestCluster.start(3, dir,
                config -> config.withElectionTimeout(ELECTION_TIMEOUT_MIN, ELECTION_TIMEOUT_MIN.plusSeconds(1)))) {
            RatisStore leader = cluster.awaitLeader();
            RatisStore follower = cluster.followers().get(0);
            // The first write of a term may wait for the followers' first appends; start from a settled cluster.
            cluster.awaitRevisionEverywhere(leader.put("settle", bytes("0")));
            try (Watch watch = follower.watch("quiet/", follower.currentRevision() + 1)) {
                for (int i = 0; i < WRITES; i++) {
                    long revision = leader.put("quiet/" + i, bytes("v" + i));
                    List<WatchEvent> seen = new ArrayList<>();
                    Await.until(WELL_BEFORE_A_HEARTBEAT, "the follower's watch to see revision " + revision, () -> {
                        seen.addAll(poll(watch));
                        return seen.stream().anyMatch(event -> event.revision() == revision);
                    });
                    assertThat(seen).extracting(event -> event.kv().key()).containsExactly("quiet/" + i);
                }
            }
        }
    }

    private static List<WatchEvent> poll(Watch watch) {
        try {
            return watch.poll(Duration.ofMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while polling a watch", e);
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
