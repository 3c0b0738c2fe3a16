package io.tidepool.store.ratis;

import io.tidepool.store.Await;

import io.tidepool.store.LoopbackPort;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Several store nodes in this JVM on free loopback ports, each with its own directory under {@code root}.
 * Public for the control plane's own failover tests, through the test-jar.
 */
public final class TestCluster implements AutoCloseable {
    static final Duration STARTUP = Duration.ofSeconds(30);

    private final Path root;
    private final List<Peer> peers;
    private final UnaryOperator<RatisStoreConfig> tuning;
    private final Map<String, RatisStore> running = new LinkedHashMap<>();

    private TestCluster(Path root, List<Peer> peers, UnaryOperator<RatisStoreConfig> tuning) {
        this.root = root;
        this.peers = peers;
        this.tuning = tuning;
    }

    public static TestCluster start(int size, Path root, UnaryOperator<RatisStoreConfig> tuning) throws IOException {
        List<Peer> peers = new ArrayList<>();
        for (int i = 1; i <= size; i++) {
            peers.add(new Peer("n" + i, "127.0.0.1:" + LoopbackPort.free()));
        }
        TestCluster cluster = new TestCluster(root, peers, tuning);
        for (Peer peer : peers) {
            cluster.startNode(peer.id());
        }
        cluster.awaitLeader();
        return cluster;
    }

    public RatisStoreConfig configOf(String id) {
        return tuning.apply(RatisStoreConfig.cluster(id, root.resolve(id), peers));
    }

    public RatisStore startNode(String id) {
        RatisStore store = RatisStore.start(configOf(id));
        running.put(id, store);
        return store;
    }

    public void stopNode(String id) {
        RatisStore store = running.remove(id);
        if (store != null) {
            store.close();
        }
    }

    public RatisStore restartNode(String id) {
        stopNode(id);
        return startNode(id);
    }

    public RatisStore node(String id) {
        RatisStore store = running.get(id);
        if (store == null) {
            throw new IllegalStateException(id + " is not running");
        }
        return store;
    }

    public List<RatisStore> nodes() {
        return List.copyOf(running.values());
    }

    /** The node that leads, once exactly one running node says it does. */
    public RatisStore awaitLeader() {
        return Await.value(STARTUP, "a ready leader among " + running.keySet(), () -> {
            List<RatisStore> leaders = running.values().stream().filter(s -> s.leadership().isLeader()).toList();
            return leaders.size() == 1 ? leaders.get(0) : null;
        });
    }

    public List<RatisStore> followers() {
        RatisStore leader = awaitLeader();
        return running.values().stream().filter(store -> store != leader).toList();
    }

    /** Waits until every running node has applied at least {@code revision}. */
    public void awaitRevisionEverywhere(long revision) {
        for (RatisStore store : running.values()) {
            Await.until(STARTUP, store.nodeId() + " to apply revision " + revision,
                    () -> store.status().revision() >= revision);
        }
    }

    @Override
    public void close() {
        for (String id : List.copyOf(running.keySet())) {
            stopNode(id);
        }
    }

}
