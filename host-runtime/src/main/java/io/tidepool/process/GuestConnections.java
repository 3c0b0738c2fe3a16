package io.tidepool.process;

import io.tidepool.api.agent.ComputeMetrics;
import io.tidepool.api.agent.UpscaleRequest;
import io.tidepool.api.quantity.Cu;
import io.tidepool.guest.protocol.GuestMessage;
import io.tidepool.guest.protocol.MessageChannel;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host agent's end of its guests' connections: one Unix socket for the host, each guest
 * proving which compute it speaks for with the token {@link #admit} made for that compute. Metrics
 * and calls for memory go to the listener as they arrive, on the connection's own thread, so that a
 * call for memory reaches the control plane without waiting for the agent's round.
 */
public final class GuestConnections implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GuestConnections.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** What guests report, as it arrives. Called from connection threads. */
    public interface Listener {
        void upscaleRequested(String compute, UpscaleRequest request);
    }

    /** The compute has no guest connected: nothing can be asked of it. */
    public static final class GuestUnavailableException extends Exception {
        GuestUnavailableException(String message) {
            super(message);
        }
    }

    private final Path socket;
    private final Listener listener;
    private final ServerSocketChannel server;
    private final Map<String, String> tokens = new ConcurrentHashMap<>();
    private final Map<String, Connection> connections = new ConcurrentHashMap<>();
    private final AtomicLong requestIds = new AtomicLong();
    private final Thread acceptor;
    private volatile boolean closed;

    public GuestConnections(Path socket, Listener listener) throws IOException {
        this.socket = socket;
        this.listener = listener;
        Files.createDirectories(socket.getParent());
        // A socket file left by an agent that did not stop cleanly would make the bind fail.
        Files.deleteIfExists(socket);
        this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
        this.acceptor = new Thread(this::accept, "guest-connections");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public Path socket() {
        return socket;
    }

    /** Makes the token the guest of {@code compute} proves itself with; replaces an earlier one. */
    public String admit(String compute) {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        tokens.put(compute, token);
        return token;
    }

    /** Drops the compute's token and closes its guest's connection. */
    public void forget(String compute) {
        tokens.remove(compute);
        Connection connection = connections.remove(compute);
        if (connection != null) {
            connection.close();
        }
    }

    public boolean connected(String compute) {
        return connections.containsKey(compute);
    }

    /** The compute's latest metrics from its guest. */
    public Optional<ComputeMetrics> latestMetrics(String compute) {
        return Optional.ofNullable(connections.get(compute)).map(c -> c.latest);
    }

    /** When the compute's guest last said anything. */
    public Optional<Instant> lastHeard(String compute) {
        return Optional.ofNullable(connections.get(compute)).map(c -> c.lastHeard);
    }

    /**
     * Asks the compute's guest whether it may shrink to {@code target}.
     *
     * @return why not, or empty when the guest agrees
     * @throws GuestUnavailableException when no guest is connected or it did not answer in time
     */
    public Optional<String> askDownscale(String compute, Cu target, Duration timeout) throws GuestUnavailableException {
        Connection connection = connections.get(compute);
        if (connection == null) {
            throw new GuestUnavailableException("the guest agent of " + compute + " is not connected");
        }
        long id = requestIds.incrementAndGet();
        CompletableFuture<GuestMessage.DownscaleResult> answer = new CompletableFuture<>();
        connection.pending.put(id, answer);
        try {
            connection.channel.send(new GuestMessage.DownscaleRequest(id, target));
            GuestMessage.DownscaleResult result = answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return result.accepted() ? Optional.empty() : Optional.of(result.reason());
        } catch (IOException | ExecutionException e) {
            throw new GuestUnavailableException("the guest agent of " + compute + " is unreachable: " + e.getMessage());
        } catch (TimeoutException e) {
            throw new GuestUnavailableException("the guest agent of " + compute + " did not answer within " + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GuestUnavailableException("interrupted while asking the guest agent of " + compute);
        } finally {
            connection.pending.remove(id);
        }
    }

    /** Tells the compute's guest its limit was raised, so it stops asking at once; a no-op without a guest. */
    public void notifyUpscale(String compute, long limitBytes) {
        Connection connection = connections.get(compute);
        if (connection != null) {
            connection.send(new GuestMessage.UpscaleNotification(limitBytes));
        }
    }

    /** Sends the compute's guest a health check; its reply shows in {@link #lastHeard}. */
    public void checkHealth(String compute) {
        Connection connection = connections.get(compute);
        if (connection != null) {
            connection.send(new GuestMessage.HealthCheck(requestIds.incrementAndGet()));
        }
    }

    private void accept() {
        while (!closed) {
            try {
                SocketChannel accepted = server.accept();
                Thread reader = new Thread(() -> serve(new MessageChannel(accepted)), "guest-connection");
                reader.setDaemon(true);
                reader.start();
            } catch (IOException e) {
                if (!closed) {
                    log.warn("accepting guest connections on {} failed: {}", socket, e.toString());
                }
                return;
            }
        }
    }

    /** One guest's connection: the hello, then its messages until it closes. */
    private void serve(MessageChannel channel) {
        Connection connection = null;
        try {
            while (connection == null) {
                for (GuestMessage message : channel.receive()) {
                    if (connection == null) {
                        connection = welcome(channel, message);
                    } else {
                        connection.handle(message);
                    }
                }
            }
            while (!closed) {
                for (GuestMessage message : channel.receive()) {
                    connection.handle(message);
                }
            }
        } catch (IOException e) {
            log.debug("a guest connection ended: {}", e.getMessage());
        } finally {
            if (connection != null) {
                connections.remove(connection.compute, connection);
                connection.pending.values().forEach(p -> p.completeExceptionally(new IOException("the guest disconnected")));
            }
            try {
                channel.close();
            } catch (IOException e) {
                log.debug("closing a guest connection: {}", e.getMessage());
            }
        }
    }

    private Connection welcome(MessageChannel channel, GuestMessage first) throws IOException {
        if (!(first instanceof GuestMessage.Hello hello)) {
            channel.send(new GuestMessage.Rejected("a guest must say hello first"));
            throw new IOException("a guest spoke before saying hello");
        }
        if (hello.version() != GuestMessage.VERSION) {
            channel.send(new GuestMessage.Rejected("protocol version " + hello.version() + " is not spoken here; this host"
                    + " speaks version " + GuestMessage.VERSION));
            throw new IOException("a guest of " + hello.compute() + " speaks protocol version " + hello.version());
        }
        String expected = hello.compute() == null ? null : tokens.get(hello.compute());
        if (expected == null || hello.token() == null || !MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                hello.token().getBytes(StandardCharsets.UTF_8))) {
            channel.send(new GuestMessage.Rejected("unknown compute or wrong token"));
            throw new IOException("a guest of " + hello.compute() + " gave a wrong token or names no compute of this host");
        }
        Connection connection = new Connection(hello.compute(), channel);
        Connection replaced = connections.put(hello.compute(), connection);
        if (replaced != null) {
            replaced.close();
        }
        channel.send(new GuestMessage.Welcome(GuestMessage.VERSION));
        return connection;
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            log.debug("closing the guest socket {}: {}", socket, e.getMessage());
        }
        connections.values().forEach(Connection::close);
        connections.clear();
    }

    private final class Connection {
        final String compute;
        final MessageChannel channel;
        final Map<Long, CompletableFuture<GuestMessage.DownscaleResult>> pending = new ConcurrentHashMap<>();
        volatile ComputeMetrics latest;
        volatile Instant lastHeard = Instant.now();

        Connection(String compute, MessageChannel channel) {
            this.compute = compute;
            this.channel = channel;
        }

        void handle(GuestMessage message) throws IOException {
            lastHeard = Instant.now();
            if (message instanceof GuestMessage.Metrics metrics) {
                latest = metrics.sample();
            } else if (message instanceof GuestMessage.Upscale upscale) {
                listener.upscaleRequested(compute, upscale.request());
            } else if (message instanceof GuestMessage.DownscaleResult result) {
                CompletableFuture<GuestMessage.DownscaleResult> waiting = pending.get(result.id());
                if (waiting != null) {
                    waiting.complete(result);
                }
            } else if (!(message instanceof GuestMessage.HealthReply)) {
                throw new IOException("a host does not expect " + message.getClass().getSimpleName() + " from a guest");
            }
        }

        void send(GuestMessage message) {
            try {
                channel.send(message);
            } catch (IOException e) {
                log.debug("sending to the guest of {} failed: {}", compute, e.getMessage());
                close();
            }
        }

        void close() {
            try {
                channel.close();
            } catch (IOException e) {
                log.debug("closing the guest connection of {}: {}", compute, e.getMessage());
            }
        }
    }
}
