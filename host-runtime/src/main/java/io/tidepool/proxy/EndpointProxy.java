package io.tidepool.proxy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The endpoint proxy: one listening port per endpoint, all accepted on one selector thread; each
 * connection then gets a thread for each direction (Java 17 has no virtual threads), from a pool
 * bounded by {@link Settings#maxConnections}. A connection over the bound is answered with an
 * ErrorResponse (too many connections) rather than queued. Where the kernel can, it moves a
 * plain-text connection's bytes itself once the startup is done ({@link KernelSplice}); the two
 * threads then only wait for either side to close. Better still, where the endpoint's primary
 * listens on this machine, new connections go straight to it ({@link ListenerSteering}) and the
 * proxy is not in them at all.
 */
public final class EndpointProxy implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EndpointProxy.class);
    /** Ports the kernel can steer at once: far more endpoints than one proxy serves. */
    private static final int STEERED_PORTS = 16 * 1024;

    /**
     * @param bindHost       the address the endpoints' ports listen on
     * @param tls            TLS for clients that ask for it; empty to answer them 'N' (plain text)
     * @param maxConnections open client connections at most, over all endpoints
     * @param connectTimeout how long connecting to a compute may take
     * @param forwarding     how a connection's bytes move once it may be routed, where the machine allows
     */
    public record Settings(String bindHost, Optional<SSLContext> tls, Admission.Bounds bounds, int maxConnections,
                           Duration connectTimeout, Forwarding forwarding) {
        public static final int MAX_CONNECTIONS = 1000;

        public Settings {
            if (maxConnections < 1) {
                throw new IllegalArgumentException("maxConnections must be at least 1, got " + maxConnections);
            }
        }

        public static Settings of(String bindHost) {
            return new Settings(bindHost, Optional.empty(), Admission.Bounds.DEFAULT, MAX_CONNECTIONS, Duration.ofSeconds(5),
                    Forwarding.STEER);
        }

        public Settings withTls(Optional<SSLContext> context) {
            return new Settings(bindHost, context, bounds, maxConnections, connectTimeout, forwarding);
        }

        public Settings withBounds(Admission.Bounds newBounds) {
            return new Settings(bindHost, tls, newBounds, maxConnections, connectTimeout, forwarding);
        }

        /** Another way of forwarding: to compare, or where a faster one misbehaves. */
        public Settings withForwarding(Forwarding newForwarding) {
            return new Settings(bindHost, tls, bounds, maxConnections, connectTimeout, newForwarding);
        }
    }

    /** Asks for a suspended endpoint to be resumed; throws when it cannot ask. */
    @FunctionalInterface
    public interface Wakeup {
        void resume(String endpoint) throws Exception;
    }

    /** What each connection shares with the proxy. */
    record Context(Settings settings, RouteTable routes, Wakeup wakeup, ProxyActivity activity, CancelKeys cancelKeys,
                   InstantSource clock, Executor threads, Set<Socket> open, Optional<SplicedConnections> spliced) {
        void closed(Socket client) {
            open.remove(client);
        }
    }

    private final Context context;
    private final Optional<ConnectionSteering> steering;
    private final ThreadPoolExecutor threads;
    private final Selector selector;
    private final Map<String, ServerSocketChannel> listeners = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Runnable> selectorTasks = new ConcurrentLinkedQueue<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final Thread acceptor = new Thread(this::acceptLoop, "proxy-accept");
    private volatile boolean closed;

    public EndpointProxy(Settings settings, RouteTable routes, Wakeup wakeup, ProxyActivity activity,
                         InstantSource clock) throws IOException {
        AtomicInteger threadNumber = new AtomicInteger();
        // Two threads per connection: the pool never queues, so its bound is the connections' bound.
        threads = new ThreadPoolExecutor(0, 2 * settings.maxConnections(), 60, TimeUnit.SECONDS, new SynchronousQueue<>(),
                task -> {
                    Thread thread = new Thread(task, "proxy-" + threadNumber.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        Optional<SplicedConnections> spliced = settings.forwarding() != Forwarding.COPY
                ? KernelSplice.open(settings.maxConnections()).map(splice -> new SplicedConnections(splice, activity))
                : Optional.empty();
        context = new Context(settings, routes, wakeup, activity, new CancelKeys(), clock, threads,
                ConcurrentHashMap.newKeySet(), spliced);
        steering = steering(settings).map(kernel -> new ConnectionSteering(kernel, routes, this::ports, activity, clock,
                LocalListeners.ofThisMachine()));
        selector = Selector.open();
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private static Optional<ListenerSteering> steering(Settings settings) {
        if (settings.forwarding() != Forwarding.STEER) {
            return Optional.empty();
        }
        if (settings.tls().isPresent()) {
            log.info("proxy: not steering connections to local computes: with TLS, the proxy answers clients' TLS itself");
            return Optional.empty();
        }
        return ListenerSteering.open(settings.bindHost(), STEERED_PORTS);
    }

    /**
     * Starts listening for {@code endpoint} on {@code port} (0 for any free one, in tests); a no-op
     * when it listens already.
     *
     * @return the port it listens on
     */
    public synchronized int serve(String endpoint, int port) throws IOException {
        ServerSocketChannel existing = listeners.get(endpoint);
        if (existing != null) {
            return ((InetSocketAddress) existing.getLocalAddress()).getPort();
        }
        ServerSocketChannel channel = ServerSocketChannel.open();
        try {
            channel.bind(new InetSocketAddress(context.settings().bindHost(), port), 128);
            channel.configureBlocking(false);
        } catch (IOException e) {
            channel.close();
            throw new IOException("cannot listen for endpoint " + endpoint + " on " + context.settings().bindHost() + ":"
                    + port + ": " + e.getMessage(), e);
        }
        listeners.put(endpoint, channel);
        onSelector(() -> {
            try {
                channel.register(selector, SelectionKey.OP_ACCEPT, endpoint);
            } catch (IOException e) {
                log.warn("{}: cannot accept on its port: {}", endpoint, e.toString());
            }
        });
        return ((InetSocketAddress) channel.getLocalAddress()).getPort();
    }

    /** Stops listening for {@code endpoint}; its open connections go on until they close. */
    public synchronized void stopServing(String endpoint) {
        ServerSocketChannel channel = listeners.remove(endpoint);
        if (channel != null) {
            onSelector(() -> close(channel));
        }
    }

    /** The port each endpoint listens on now. */
    public Map<String, Integer> ports() {
        Map<String, Integer> ports = new TreeMap<>();
        listeners.forEach((endpoint, channel) -> {
            try {
                ports.put(endpoint, ((InetSocketAddress) channel.getLocalAddress()).getPort());
            } catch (IOException e) {
                // Closed meanwhile: it no longer listens.
            }
        });
        return ports;
    }

    public ProxyActivity activity() {
        return context.activity();
    }

    /** Whether the kernel moves connections' bytes here once their startup is done. */
    public boolean splices() {
        return context.spliced().isPresent();
    }

    /** Whether new connections to endpoints whose primary is on this machine go straight to it here. */
    public boolean steers() {
        return steering.isPresent();
    }

    /** Endpoints whose new connections the kernel hands straight to their primary's Postgres now, and where that is. */
    public Map<String, EndpointState.Backend> steered() {
        return steering.map(ConnectionSteering::steered).orElse(Map.of());
    }

    /** Connections whose bytes the kernel moves now. */
    public int splicedConnections() {
        return context.spliced().map(SplicedConnections::size).orElse(0);
    }

    /**
     * Whether the splice reaches the own socket of a backend on this machine, so that its bytes
     * skip the hop through the proxy's socket to it (a kernel that runs BPF send-side programs).
     */
    public boolean splicesDirect() {
        return context.spliced().map(SplicedConnections::splicesDirect).orElse(false);
    }

    /** Of the spliced connections, those spliced to their local backend's own socket. */
    public int directlySplicedConnections() {
        return context.spliced().map(SplicedConnections::direct).orElse(0);
    }

    /** Spliced connections closed before all the kernel moved had reached its side: a side reset, or went quiet. */
    public long undrainedConnections() {
        return context.spliced().map(SplicedConnections::undrained).orElse(0L);
    }

    private void onSelector(Runnable task) {
        selectorTasks.add(task);
        selector.wakeup();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                selector.select();
                Runnable task;
                while ((task = selectorTasks.poll()) != null) {
                    task.run();
                }
                for (SelectionKey key : selector.selectedKeys()) {
                    if (key.isValid() && key.isAcceptable()) {
                        accept((ServerSocketChannel) key.channel(), (String) key.attachment());
                    }
                }
                selector.selectedKeys().clear();
            } catch (ClosedSelectorException e) {
                return;
            } catch (IOException | RuntimeException e) {
                if (!closed) {
                    log.warn("proxy: accepting connections failed, going on: {}", e.toString());
                }
            }
        }
    }

    private void accept(ServerSocketChannel listener, String endpoint) throws IOException {
        SocketChannel channel;
        while ((channel = listener.accept()) != null) {
            // Accepted channels block, whatever their listener does: each connection has its threads.
            Socket client = channel.socket();
            if (connections.incrementAndGet() > context.settings().maxConnections()) {
                connections.decrementAndGet();
                refuseBusy(client, endpoint);
                continue;
            }
            context.open().add(client);
            try {
                threads.execute(() -> {
                    try {
                        new ClientConnection(endpoint, client, context).run();
                    } finally {
                        connections.decrementAndGet();
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                connections.decrementAndGet();
                context.open().remove(client);
                refuseBusy(client, endpoint);
            }
        }
    }

    private void refuseBusy(Socket client, String endpoint) {
        try (client) {
            client.getOutputStream().write(new ErrorResponse(ErrorResponse.TOO_MANY_CONNECTIONS,
                    "the proxy has " + context.settings().maxConnections() + " connections open already; endpoint "
                            + endpoint + " takes no more now").encode());
        } catch (IOException e) {
            log.debug("{}: could not refuse a connection: {}", endpoint, e.toString());
        }
    }

    private static void close(java.io.Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException e) {
            log.debug("closing {} failed: {}", closeable, e.toString());
        }
    }

    @Override
    public void close() {
        closed = true;
        // First: every port falls back to the proxy's listener, about to close.
        steering.ifPresent(ConnectionSteering::close);
        listeners.values().forEach(EndpointProxy::close);
        listeners.clear();
        close(selector);
        try {
            acceptor.join(Duration.ofSeconds(5).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        context.open().forEach(EndpointProxy::close);
        threads.shutdownNow();
        context.spliced().ifPresent(SplicedConnections::close);
    }
}
