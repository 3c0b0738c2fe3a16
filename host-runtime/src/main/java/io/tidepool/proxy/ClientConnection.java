package io.tidepool.proxy;

import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection to one endpoint's port: negotiates encryption, reads the startup message,
 * asks {@link Admission} what to do until it may route, relays the startup ({@link StartupRelay}),
 * then has the kernel move the bytes both ways ({@link KernelSplice}) or pipes them itself, until
 * either side closes. Runs on a thread of its own, and one more for the backend's direction when
 * it pipes.
 */
final class ClientConnection implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(ClientConnection.class);
    private static final int BUFFER_BYTES = 16 * 1024;
    /** A backend that refuses the connection is tried again after this, unless the state changes first. */
    private static final Duration RETRY_BACKEND = Duration.ofMillis(100);
    /** Libpq sends an SSLRequest, then maybe a GSSENCRequest: more rounds than that is no client. */
    private static final int MAX_NEGOTIATIONS = 2;

    private final String endpoint;
    private final Socket client;
    private final EndpointProxy.Context context;
    private Socket backend;

    ClientConnection(String endpoint, Socket client, EndpointProxy.Context context) {
        this.endpoint = endpoint;
        this.client = client;
        this.context = context;
    }

    @Override
    public void run() {
        context.activity().opened(endpoint);
        try {
            serve();
        } catch (IOException e) {
            log.debug("{}: connection ended: {}", endpoint, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.warn("{}: connection failed", endpoint, e);
        } finally {
            context.activity().closed(endpoint);
            context.spliced().ifPresent(spliced -> spliced.closed(client.getChannel()));
            closeQuietly(client);
            closeQuietly(backend);
            context.closed(client);
        }
    }

    private void serve() throws IOException, InterruptedException {
        client.setTcpNoDelay(true);
        Socket socket = client;
        StartupMessage first = read(socket);
        for (int round = 0; round < MAX_NEGOTIATIONS && first.kind() != StartupMessage.Kind.STARTUP
                && first.kind() != StartupMessage.Kind.CANCEL_REQUEST; round++) {
            Optional<SSLContext> tls = context.settings().tls();
            if (first.kind() == StartupMessage.Kind.SSL_REQUEST && tls.isPresent() && socket == client) {
                socket.getOutputStream().write('S');
                socket.getOutputStream().flush();
                socket = upgrade(tls.get(), socket);
            } else {
                // No TLS configured, or GSS encryption, which the proxy does not do: libpq goes on in plain text.
                socket.getOutputStream().write('N');
                socket.getOutputStream().flush();
            }
            first = read(socket);
        }
        if (first.kind() == StartupMessage.Kind.CANCEL_REQUEST) {
            cancel(first.cancelKey());
            return;
        }
        if (first.kind() != StartupMessage.Kind.STARTUP) {
            refuse(socket, new ErrorResponse(ErrorResponse.PROTOCOL_VIOLATION, "expected a startup message after "
                    + MAX_NEGOTIATIONS + " encryption requests, got another " + first.kind()));
            return;
        }
        admit(socket, first);
    }

    private static SSLSocket upgrade(SSLContext tls, Socket socket) throws IOException {
        SSLSocket secure = (SSLSocket) tls.getSocketFactory().createSocket(socket,
                socket.getInetAddress().getHostAddress(), socket.getPort(), true);
        secure.setUseClientMode(false);
        secure.startHandshake();
        return secure;
    }

    private void admit(Socket socket, StartupMessage startup) throws IOException, InterruptedException {
        RouteTable routes = context.routes();
        Instant since = context.clock().instant();
        boolean woke = false;
        while (true) {
            long seen = routes.version();
            Admission.Decision decision = Admission.decide(endpoint, routes.get(endpoint), since, woke,
                    context.settings().bounds(), context.clock().instant());
            if (decision instanceof Admission.Refuse refuse) {
                refuse(socket, refuse.error());
                return;
            }
            if (decision instanceof Admission.Wake) {
                try {
                    context.wakeup().resume(endpoint);
                } catch (Exception e) {
                    refuse(socket, new ErrorResponse(ErrorResponse.CANNOT_CONNECT_NOW,
                            "could not ask endpoint " + endpoint + " to resume: " + e.getMessage()));
                    return;
                }
                woke = true;
            } else if (decision instanceof Admission.Hold hold) {
                routes.awaitChange(seen, hold.recheckAfter());
            } else {
                EndpointState.Backend target = ((Admission.Route) decision).backend();
                Optional<Socket> connected = connect(target);
                if (connected.isPresent()) {
                    backend = connected.get();
                    pipe(socket, startup, target);
                    return;
                }
                Duration waited = Duration.between(since, context.clock().instant());
                if (waited.compareTo(context.settings().bounds().resume()) >= 0) {
                    refuse(socket, new ErrorResponse(ErrorResponse.CONNECTION_FAILURE, "endpoint " + endpoint
                            + ": its compute at " + target.host() + ":" + target.port() + " did not take connections for "
                            + waited.toSeconds() + " s"));
                    return;
                }
                routes.awaitChange(seen, RETRY_BACKEND);
            }
        }
    }

    private Optional<Socket> connect(EndpointState.Backend target) {
        Socket socket;
        try {
            // A channel's socket, as the client's is: the kernel splice needs both descriptors.
            socket = SocketChannel.open().socket();
        } catch (IOException e) {
            log.debug("{}: cannot open a socket: {}", endpoint, e.toString());
            return Optional.empty();
        }
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(target.host(), target.port()),
                    (int) context.settings().connectTimeout().toMillis());
            return Optional.of(socket);
        } catch (IOException e) {
            log.debug("{}: cannot connect to {}:{}: {}", endpoint, target.host(), target.port(), e.toString());
            closeQuietly(socket);
            return Optional.empty();
        }
    }

    private void pipe(Socket socket, StartupMessage startup, EndpointState.Backend target) throws IOException {
        OutputStream toBackend = backend.getOutputStream();
        toBackend.write(startup.packet());
        toBackend.flush();
        StartupRelay.Outcome greeted = StartupRelay.relay(backend.getInputStream(),
                new BufferedOutputStream(socket.getOutputStream(), BUFFER_BYTES), socket.getInputStream(), toBackend);
        greeted.cancelKey().ifPresent(key -> context.cancelKeys().issued(key, target));
        try {
            if (greeted.ready().isEmpty()) {
                return; // the backend refused the connection, and said why
            }
            context.activity().active(endpoint);
            byte[] ready = greeted.ready().get();
            // Plain text only: the kernel cannot move what TLS encrypts in the proxy.
            Optional<SplicedConnections> splice = socket == client ? context.spliced() : Optional.empty();
            // The BackendKeyData names the backend's process: on this machine, the splice reaches its socket.
            OptionalLong backendPid = greeted.cancelKey().map(key -> OptionalLong.of(key.processId())).orElse(OptionalLong.empty());
            Optional<KernelSplice.Spliced> spliced = splice.flatMap(connections -> connections.splice(endpoint,
                    client.getChannel(), backend.getChannel(), ready.length, backendPid));
            socket.getOutputStream().write(ready);
            socket.getOutputStream().flush();
            if (spliced.isPresent()) {
                // One thread per connection, asleep until either side hangs up: no wake-up per message.
                splice.get().awaitHangUp(spliced.get());
            } else {
                copyBothWays(socket);
            }
        } finally {
            greeted.cancelKey().ifPresent(context.cancelKeys()::closed);
        }
    }

    /** Copies both ways, the backend's on a thread of its own, until either side closes. */
    private void copyBothWays(Socket socket) throws IOException {
        InputStream fromBackend = backend.getInputStream();
        OutputStream toClient = socket.getOutputStream();
        context.threads().execute(() -> {
            try {
                copy(fromBackend, toClient);
            } finally {
                // The backend ended: the client's side ends too, which ends the other direction.
                closeQuietly(socket);
                closeQuietly(backend);
            }
        });
        copy(socket.getInputStream(), backend.getOutputStream());
    }

    private void copy(InputStream in, OutputStream out) {
        byte[] buffer = new byte[BUFFER_BYTES];
        try {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                out.flush();
                context.activity().active(endpoint);
            }
        } catch (IOException e) {
            log.trace("{}: pipe closed: {}", endpoint, e.toString());
        }
    }

    private void cancel(StartupMessage.CancelKey key) {
        // A CancelRequest gets no answer, whatever becomes of it: the client just closes.
        context.cancelKeys().backendOf(key).ifPresent(target -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(target.host(), target.port()),
                        (int) context.settings().connectTimeout().toMillis());
                socket.getOutputStream().write(cancelPacket(key));
                socket.getOutputStream().flush();
            } catch (IOException e) {
                log.debug("{}: cancel request to {} failed: {}", endpoint, target, e.toString());
            }
        });
    }

    static byte[] cancelPacket(StartupMessage.CancelKey key) {
        return java.nio.ByteBuffer.allocate(16).putInt(16).putInt(StartupMessage.CANCEL_REQUEST)
                .putInt(key.processId()).putInt(key.secret()).array();
    }

    private void refuse(Socket socket, ErrorResponse error) {
        try {
            socket.getOutputStream().write(error.encode());
            socket.getOutputStream().flush();
        } catch (IOException e) {
            log.debug("{}: could not tell the client {}: {}", endpoint, error.message(), e.toString());
        }
    }

    /** The next startup-phase message; an error to the client and an exception when it is none. */
    private StartupMessage read(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        byte[] length = in.readNBytes(4);
        if (length.length < 4) {
            throw new EOFException("the client closed before its startup message");
        }
        int declared = StartupMessage.declaredLength(length);
        if (declared < 8 || declared > StartupMessage.MAX_LENGTH) {
            refuse(socket, new ErrorResponse(ErrorResponse.PROTOCOL_VIOLATION, "invalid startup packet length " + declared));
            throw new IOException("invalid startup packet length " + declared);
        }
        byte[] packet = new byte[declared];
        System.arraycopy(length, 0, packet, 0, 4);
        if (in.readNBytes(packet, 4, declared - 4) < declared - 4) {
            throw new EOFException("the client closed in its startup message");
        }
        return StartupMessage.parse(packet).orElseThrow(() -> {
            refuse(socket, new ErrorResponse(ErrorResponse.PROTOCOL_VIOLATION, "unsupported frontend protocol"));
            return new IOException("unsupported frontend protocol");
        });
    }

    private static void closeQuietly(Socket socket) {
        if (socket == null) {
            return;
        }
        try {
            socket.close();
        } catch (IOException e) {
            // Closing is all that is left to do with it.
        }
    }
}
