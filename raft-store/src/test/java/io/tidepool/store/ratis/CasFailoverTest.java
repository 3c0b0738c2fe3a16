package io.tidepool.store.ratis;

import io.tidepool.store.Await;
import io.tidepool.store.Compare;
import io.tidepool.store.KeyValue;
import io.tidepool.store.Op;
import io.tidepool.store.StoreException;
import io.tidepool.store.Txn;
import io.tidepool.store.TxnResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Several clients increment one counter with compare-and-set while the leader is killed. Each
 * increment also writes a marker {@code inc/<client>/<seq>} holding the new value. A client never
 * reuses a sequence number whose outcome it does not know, so an increment applied twice would show
 * as a marker overwritten: a counter value with no marker.
 */
class CasFailoverTest {
    private static final Logger LOG = LoggerFactory.getLogger(CasFailoverTest.class);
    private static final int CLIENTS = 3;
    /** Enough that the leader dies with increments in flight from every client (it dies at a third). */
    private static final int INCREMENTS_PER_CLIENT = 150;
    private static final String COUNTER = "counter";

    @TempDir
    Path dir;

    @Test
    void noAcknowledgedIncrementIsLostOrAppliedTwiceWhenTheLeaderDies() throws Exception {
        try (TestCluster cluster = TestCluster.start(3, dir, config -> config)) {
            RatisStore leader = cluster.awaitLeader();
            List<RatisStore> followers = cluster.followers();
            warmUp(followers.get(0));
            LOG.info("warmed up; incrementing");
            Set<String> acknowledged = ConcurrentHashMap.newKeySet();
            AtomicInteger unknown = new AtomicInteger();
            java.util.Queue<Long> ackNanos = new java.util.concurrent.ConcurrentLinkedQueue<>();
            ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                RatisStore node = followers.get(c % followers.size());
                int client = c;
                running.add(clients.submit(() -> increment(node, client, acknowledged, unknown, ackNanos)));
            }
            Await.until(Duration.ofSeconds(60), "a third of the increments", () -> acknowledged.size() >= CLIENTS * INCREMENTS_PER_CLIENT / 3);
            int ackedAtKill = acknowledged.size();
            cluster.stopNode(leader.nodeId());
            long killedAt = System.nanoTime();
            // Increments in flight may still be acknowledged while the leader shuts down (several
            // at once when they shared a log entry): wait for one acknowledged after it stopped.
            Await.until(Duration.ofSeconds(30), "an increment acknowledged after the kill",
                    () -> ackNanos.stream().anyMatch(t -> t > killedAt) && acknowledged.size() > ackedAtKill);
            long resumedAt = ackNanos.stream().filter(t -> t > killedAt).min(Long::compare).orElseThrow();
            LOG.info("leader {} killed; first increment acknowledged {} ms later", leader.nodeId(),
                    (resumedAt - killedAt) / 1_000_000);
            for (Future<?> future : running) {
                future.get();
            }
            clients.shutdown();

            RatisStore survivor = followers.get(0);
            long counter = Long.parseLong(text(survivor.get(COUNTER).orElseThrow()));
            List<KeyValue> markers = survivor.range("inc/").items();
            Set<String> markerKeys = new HashSet<>();
            markers.forEach(kv -> markerKeys.add(kv.key()));
            assertThat(markerKeys).containsAll(acknowledged);
            assertThat(markers.stream().map(CasFailoverTest::text).map(Long::parseLong).sorted().toList())
                    .as("every counter value in exactly one marker")
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, counter).boxed().toList());
            assertThat(markers).hasSize((int) counter);
            LOG.info("{} increments acknowledged, {} with unknown outcome, counter {}", acknowledged.size(), unknown.get(), counter);

            LOG.info("restarting {}", leader.nodeId());
            cluster.startNode(leader.nodeId());
            long revision = survivor.currentRevision();
            cluster.awaitRevisionEverywhere(revision);
            for (RatisStore node : cluster.nodes()) {
                assertThat(node.stateMachine().localRange("")).as(node.nodeId())
                        .isEqualTo(survivor.stateMachine().localRange(""));
            }
        }
    }

    private static void increment(RatisStore node, int client, Set<String> acknowledged, AtomicInteger unknown,
                                  java.util.Queue<Long> ackNanos) {
        int seq = 0;
        int done = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (done < INCREMENTS_PER_CLIENT && System.nanoTime() < deadline) {
            String marker = "inc/" + client + "/" + seq;
            try {
                Optional<KeyValue> current = node.get(COUNTER);
                long value = current.map(kv -> Long.parseLong(text(kv))).orElse(0L) + 1;
                Compare unchanged = current.map(kv -> Compare.modRevisionIs(COUNTER, kv.modRevision()))
                        .orElse(Compare.absent(COUNTER));
                byte[] encoded = Long.toString(value).getBytes(StandardCharsets.UTF_8);
                TxnResult result = node.txn(Txn.of(List.of(unchanged),
                        List.of(new Op.Put(COUNTER, encoded), new Op.Put(marker, encoded))));
                if (result.succeeded()) {
                    acknowledged.add(marker);
                    ackNanos.add(System.nanoTime());
                    done++;
                    seq++;
                }
            } catch (StoreException e) {
                // The outcome is unknown: never reuse this marker, so a double apply cannot hide.
                unknown.incrementAndGet();
                seq++;
            }
        }
    }

    private static void warmUp(RatisStore node) {
        for (int i = 0; i < 200; i++) {
            node.put("warm-up/" + (i % 10), new byte[] {(byte) i});
        }
    }

    private static String text(KeyValue kv) {
        return new String(kv.value(), StandardCharsets.UTF_8);
    }
}
