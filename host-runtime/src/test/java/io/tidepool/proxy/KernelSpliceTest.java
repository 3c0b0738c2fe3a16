package io.tidepool.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tidepool.store.Await;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.Channel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Both ways of splicing, on sockets of this process: a client, the proxy's accepted socket, the
 * proxy's socket to a "backend", and the backend's own. This process holds the backend's socket,
 * so its pid is the backend's, as the BackendKeyData of a Postgres on this machine gives it.
 */
class KernelSpliceTest {
    private final Sockets sockets = new Sockets();
    private KernelSplice splice;

    @BeforeEach
    void open() throws IOException {
        Optional<KernelSplice> opened = KernelSplice.open(16);
        assumeTrue(opened.isPresent(), "the kernel splice needs root, BPF sockmap support and --add-opens"
                + " java.base/sun.nio.ch=ALL-UNNAMED (the log says which is missing)");
        splice = opened.get();
        sockets.connect();
    }

    @AfterEach
    void close() throws IOException {
        sockets.close();
        if (splice != null) {
            splice.close();
        }
    }

    @Test
    void withoutTheBackendsProcessBytesCrossTheProxysSocketToIt() throws Exception {
        KernelSplice.Spliced spliced = splice.splice(sockets.accepted, sockets.toBackend, 0, OptionalLong.empty());

        assertThat(spliced.direct()).isFalse();
        roundTrips();
        Await.until(Duration.ofSeconds(5), "both sides acknowledged all the kernel moved", () -> drained(spliced));
    }

    @Test
    void aBackendOfThisMachineGetsAndSendsItsBytesOnItsOwnSocket() throws Exception {
        assumeTrue(splice.splicesDirect(), "this kernel does not run BPF send-side (sk_msg) programs");
        KernelSplice.Spliced spliced = splice.splice(sockets.accepted, sockets.toBackend, 0,
                OptionalLong.of(ProcessHandle.current().pid()));

        assertThat(spliced.direct()).isTrue();
        roundTrips();
        sockets.toBackend.configureBlocking(false);
        assertThat(sockets.toBackend.read(ByteBuffer.allocate(64))).as("nothing crossed the proxy's socket").isZero();
        Await.until(Duration.ofSeconds(5), "the client's socket acknowledged all the backend sent", () -> drained(spliced));
    }

    @Test
    void aProcessThatDoesNotHoldTheBackendsSocketIsSplicedThroughTheProxy() throws Exception {
        KernelSplice.Spliced spliced = splice.splice(sockets.accepted, sockets.toBackend, 0,
                OptionalLong.of(ProcessHandle.current().parent().orElseThrow().pid()));

        assertThat(spliced.direct()).isFalse();
        roundTrips();
    }

    private boolean drained(KernelSplice.Spliced spliced) {
        try {
            return splice.drained(spliced);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A query's way and its answer's, each larger than a socket's buffers. */
    private void roundTrips() throws IOException {
        for (int i = 0; i < 100; i++) {
            byte[] query = ("query " + i).getBytes(StandardCharsets.US_ASCII);
            write(sockets.client, query);
            assertThat(read(sockets.backend, query.length)).isEqualTo(query);
            byte[] answer = ("answer " + i).getBytes(StandardCharsets.US_ASCII);
            write(sockets.backend, answer);
            assertThat(read(sockets.client, answer.length)).isEqualTo(answer);
        }
        byte[] big = new byte[8 << 20];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 31);
        }
        Thread writer = new Thread(() -> {
            try {
                write(sockets.client, big);
                write(sockets.backend, big);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        writer.start();
        assertThat(read(sockets.backend, big.length)).isEqualTo(big);
        assertThat(read(sockets.client, big.length)).isEqualTo(big);
    }

    private static void write(SocketChannel channel, byte[] bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    private static byte[] read(SocketChannel channel, int length) throws IOException {
        channel.socket().setSoTimeout(10_000);
        byte[] bytes = channel.socket().getInputStream().readNBytes(length);
        assertThat(bytes).as("bytes before the timeout").hasSize(length);
        return bytes;
    }

    /** client → accepted (the proxy's) ; toBackend (the proxy's) → backend (the backend's own). */
    private static final class Sockets {
        SocketChannel client;
        SocketChannel accepted;
        SocketChannel toBackend;
        SocketChannel backend;
        private ServerSocketChannel proxyListener;
        private ServerSocketChannel backendListener;

        void connect() throws IOException {
            InetAddress loopback = InetAddress.getLoopbackAddress();
            proxyListener = ServerSocketChannel.open().bind(new InetSocketAddress(loopback, 0));
            backendListener = ServerSocketChannel.open().bind(new InetSocketAddress(loopback, 0));
            client = SocketChannel.open(proxyListener.getLocalAddress());
            accepted = proxyListener.accept();
            toBackend = SocketChannel.open(backendListener.getLocalAddress());
            backend = backendListener.accept();
        }

        void close() throws IOException {
            for (Channel channel : new Channel[] {client, accepted, toBackend, backend, proxyListener, backendListener}) {
                if (channel != null) {
                    channel.close();
                }
            }
        }
    }
}
