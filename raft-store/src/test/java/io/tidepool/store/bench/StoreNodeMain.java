package io.tidepool.store.bench;

import io.tidepool.store.ratis.Peer;
import io.tidepool.store.ratis.RatisStore;
import io.tidepool.store.ratis.RatisStoreConfig;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * One store node as its own process, for the store benchmark: a {@link RatisStore} and nothing
 * else (no HTTP). Prints {@code ready} once the server runs and stops cleanly on SIGTERM.
 *
 * <p>Usage: {@code StoreNodeMain <node-id> <data-dir> <id=host:port>[,<id=host:port>...]}
 */
public final class StoreNodeMain {
    private StoreNodeMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 3) {
            System.err.println("usage: StoreNodeMain <node-id> <data-dir> <id=host:port>[,<id=host:port>...]");
            System.exit(2);
        }
        RatisStore store = RatisStore.start(RatisStoreConfig.cluster(args[0], Path.of(args[1]), peers(args[2])));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            store.close();
            stopped.countDown();
        }, "store-node-shutdown"));
        System.out.println("ready");
        System.out.flush();
        stopped.await();
    }

    /** Parses {@code n1=127.0.0.1:7001,n2=127.0.0.1:7002}. */
    static List<Peer> peers(String spec) {
        List<Peer> peers = new ArrayList<>();
        for (String item : spec.split(",")) {
            int eq = item.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("peer must be id=host:port, not " + item);
            }
            peers.add(new Peer(item.substring(0, eq), item.substring(eq + 1)));
        }
        return peers;
    }
}
