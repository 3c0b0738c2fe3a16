package io.tidepool.proxy;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connections whose bytes the kernel moves ({@link KernelSplice}): the proxy no longer sees
 * them pass, so once per {@link ProxyActivity#REPORT_EVERY} it reads how many bytes each client
 * socket has received and had acknowledged, and a change is its endpoint's activity, as bytes
 * through the proxy are.
 */
final class SplicedConnections implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SplicedConnections.class);

    /** How long a hung-up connection may take to hand on what the kernel still moves. */
    private static final Duration DRAIN = Duration.ofSeconds(1);
    private static final long DRAIN_POLL_NANOS = 1_000_000;

    private final KernelSplice splice;
    private final ProxyActivity activity;
    private final Map<SocketChannel, Counted> spliced = new ConcurrentHashMap<>();
    private final AtomicLong undrained = new AtomicLong();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "proxy-spliced-activity");
        thread.setDaemon(true);
        return thread;
    });

    private static final class Counted {
        final String endpoint;
        final boolean direct;
        long bytes;

        Counted(String endpoint, boolean direct, long bytes) {
            this.endpoint = endpoint;
            this.direct = direct;
            this.bytes = bytes;
        }
    }

    SplicedConnections(KernelSplice splice, ProxyActivity activity) {
        this.splice = splice;
        this.activity = activity;
        long every = ProxyActivity.REPORT_EVERY.toMillis();
        ticker.scheduleWithFixedDelay(this::report, every, every, TimeUnit.MILLISECONDS);
    }

    /**
     * Splices the connection (see {@link KernelSplice#splice} for when that may be done); empty,
     * and the proxy copies its bytes itself, when the kernel refuses.
     */
    Optional<KernelSplice.Spliced> splice(String endpoint, SocketChannel client, SocketChannel backend, int stillToClient,
                                          OptionalLong backendPid) {
        try {
            long before = splice.bytesMoved(client);
            KernelSplice.Spliced spliced = splice.splice(client, backend, stillToClient, backendPid);
            this.spliced.put(client, new Counted(endpoint, spliced.direct(), before));
            return Optional.of(spliced);
        } catch (IOException e) {
            log.debug("{}: copying this connection's bytes in the proxy: {}", endpoint, e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * Returns once either side of a spliced connection hangs up, or is closed by the proxy, and
     * what the kernel was moving then has reached its side (at most {@link #DRAIN} more).
     */
    void awaitHangUp(KernelSplice.Spliced connection) throws IOException {
        splice.awaitHangUp(connection.client(), connection.backend());
        long deadline = System.nanoTime() + DRAIN.toNanos();
        while (connection.client().isOpen() && connection.backend().isOpen() && !splice.drained(connection)) {
            if (System.nanoTime() - deadline > 0) {
                undrained.incrementAndGet();
                log.debug("closing {} before the kernel handed on all it took", connection);
                return;
            }
            LockSupport.parkNanos(DRAIN_POLL_NANOS);
        }
    }

    /** Connections closed before what the kernel moved was acknowledged (a side reset, or gone quiet). */
    long undrained() {
        return undrained.get();
    }

    void closed(SocketChannel client) {
        spliced.remove(client);
    }

    int size() {
        return spliced.size();
    }

    /** Of {@link #size}, those spliced to a local backend's own socket. */
    int direct() {
        return (int) spliced.values().stream().filter(counted -> counted.direct).count();
    }

    boolean splicesDirect() {
        return splice.splicesDirect();
    }

    private void report() {
        spliced.forEach((client, counted) -> {
            if (!client.isOpen()) {
                spliced.remove(client); // its descriptor may be another socket's by now
                return;
            }
            try {
                long bytes = splice.bytesMoved(client);
                if (bytes != counted.bytes) {
                    counted.bytes = bytes;
                    activity.active(counted.endpoint);
                }
            } catch (IOException e) {
                spliced.remove(client); // closed meanwhile
            }
        });
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        splice.close();
    }
}
