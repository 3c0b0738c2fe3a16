package io.tidepool.proxy;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Platform;
import com.sun.jna.ptr.IntByReference;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.channels.SocketChannel;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves a connection's bytes inside the kernel once its startup is done: both sockets go into a
 * BPF sockhash, and a verdict program attached to it redirects what arrives on either socket to
 * the other's send side. The proxy's threads then no longer wake for each message, which is most
 * of what a proxy costs when a query is a few microseconds (pgbench -S through a thread-per-direction
 * relay loses more than half its throughput; spliced, about a sixth; docs/BENCHMARKS.md).
 *
 * <p>The program, in BPF instructions: key = bpf_get_socket_cookie(skb); return
 * bpf_sk_redirect_hash(skb, map, &key, 0) ?: SK_PASS. Each socket is stored under the cookie of its
 * peer, so what arrives on one is sent on the other; a socket whose peer is not in the map yet
 * keeps its bytes. A closed socket leaves the map by itself.
 *
 * <p>Needs Linux with CONFIG_BPF_STREAM_PARSER, CAP_BPF and CAP_NET_ADMIN (root), x86-64, and the
 * JVM option {@code --add-opens java.base/sun.nio.ch=ALL-UNNAMED} to read a channel's descriptor.
 * {@link #open} says why when any is missing, and the proxy copies the bytes itself.
 */
final class KernelSplice implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(KernelSplice.class);
    private static final int BPF_PROG_ATTACH = 8;
    private static final int BPF_PROG_TYPE_SK_SKB = 14;
    private static final int BPF_SK_SKB_VERDICT = 38;
    private static final int SOL_SOCKET = 1;
    private static final int SO_COOKIE = 57;
    private static final int IPPROTO_TCP = 6;
    private static final int TCP_INFO = 11;
    private static final int TCP_INFO_BYTES = 232;
    private static final int TCPI_STATE = 0;
    private static final int TCP_TIME_WAIT = 6;
    private static final int TCP_CLOSE = 7;
    private static final int TCP_CLOSE_WAIT = 8;
    private static final int TCP_LAST_ACK = 9;
    private static final int TCP_CLOSING = 11;
    private static final int TCPI_BYTES_ACKED = 120;
    private static final int TCPI_BYTES_RECEIVED = 128;
    private static final short POLLRDHUP = 0x2000;
    private static final long TIOCOUTQ = 0x5411;
    private static final int EINTR = 4;
    private static final int HANG_UP_RECHECK_MILLIS = 1000;

    private final int map;
    private final int program;
    private final Method fdOfChannel;

    private KernelSplice(int map, int program, Method fdOfChannel) {
        this.map = map;
        this.program = program;
        this.fdOfChannel = fdOfChannel;
    }

    /** A splice for up to {@code connections} connections, or empty with the reason logged once. */
    static Optional<KernelSplice> open(int connections) {
        if (!Platform.isLinux() || !Platform.isIntel() || !Platform.is64Bit()) {
            log.info("proxy: copying bytes itself; the kernel splice is for Linux on x86-64");
            return Optional.empty();
        }
        Method fdOfChannel;
        try {
            fdOfChannel = Class.forName("sun.nio.ch.SocketChannelImpl").getMethod("getFDVal");
            fdOfChannel.setAccessible(true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.info("proxy: copying bytes itself; the kernel splice needs the JVM option"
                    + " --add-opens java.base/sun.nio.ch=ALL-UNNAMED ({})", e.toString());
            return Optional.empty();
        }
        int map = -1;
        try {
            map = Bpf.createMap(Bpf.MAP_TYPE_SOCKHASH, 8, 4, 2 * connections, "the splice's sockhash");
            int program = loadProgram(map);
            try {
                attach(map, program);
            } catch (LastErrorException e) {
                Libc.C.close(program);
                throw e;
            }
            return Optional.of(new KernelSplice(map, program, fdOfChannel));
        } catch (LastErrorException | IOException e) {
            if (map >= 0) {
                Libc.C.close(map);
            }
            log.info("proxy: copying bytes itself; the kernel splice is not available here ({})", e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * Where a spliced connection's byte counts stood when the kernel took it over: what each
     * socket had received (all of it read by the proxy) and what had been written to it.
     */
    record Spliced(SocketChannel client, SocketChannel backend, long clientReceived, long backendReceived,
                   long clientWritten, long backendWritten) {
    }

    /**
     * Splices the two connected sockets: from now on what either receives is sent on the other by
     * the kernel. Call it only when neither side can have bytes on their way (the startup is done
     * and the client waits for its ReadyForQuery): bytes read before would arrive after later ones.
     *
     * @param stillToClient bytes the proxy writes to the client right after (its ReadyForQuery)
     */
    Spliced splice(SocketChannel client, SocketChannel backend, int stillToClient) throws IOException {
        int clientFd = fdOf(client);
        int backendFd = fdOf(backend);
        long clientCookie = cookie(clientFd);
        long backendCookie = cookie(backendFd);
        Spliced spliced = new Spliced(client, backend, received(clientFd), received(backendFd),
                written(clientFd) + stillToClient, written(backendFd));
        // The backend under the client's cookie first: until the client is in the map, nothing it
        // receives is redirected, and it sends nothing before its ReadyForQuery.
        put(clientCookie, backendFd);
        put(backendCookie, clientFd);
        return spliced;
    }

    /**
     * Whether each side has had acknowledged all the kernel moved to it: a socket closed before
     * drops what the kernel still holds for it, such as the FATAL a backend sends as it ends. The
     * counts are TCP sequence numbers: a FIN received counts one, which is no byte to pass on (a
     * SYN acknowledged counts one too, on the proxy's side of the backend, in both counts alike).
     */
    boolean drained(Spliced spliced) throws IOException {
        Memory client = tcpInfo(fdOf(spliced.client()));
        Memory backend = tcpInfo(fdOf(spliced.backend()));
        long toClient = spliced.clientWritten() + dataReceived(backend) - spliced.backendReceived();
        long toBackend = spliced.backendWritten() + dataReceived(client) - spliced.clientReceived();
        // Bytes towards a side that hung up or reset cannot arrive, and need not.
        return (client.getLong(TCPI_BYTES_ACKED) >= toClient || gone(client))
                && (backend.getLong(TCPI_BYTES_ACKED) >= toBackend || gone(backend));
    }

    /**
     * Data bytes received: one less once the peer is gone, for its FIN. A reset socket (CLOSE) no
     * longer says whether a FIN came first; counting one then can at worst call a connection
     * drained one byte early, and no Postgres message is one byte long.
     */
    private static long dataReceived(Memory info) {
        return info.getLong(TCPI_BYTES_RECEIVED) - (gone(info) ? 1 : 0);
    }

    /** The peer hung up (its FIN arrived) or reset the connection. */
    private static boolean gone(Memory info) {
        int state = info.getByte(TCPI_STATE) & 0xff;
        return state == TCP_CLOSE_WAIT || state == TCP_LAST_ACK || state == TCP_CLOSING || state == TCP_TIME_WAIT
                || state == TCP_CLOSE;
    }

    /**
     * Waits until either socket hangs up, or is closed here. It asks poll for POLLRDHUP only:
     * waiting for POLLIN, as a read or a selector does, would be woken by every message the kernel
     * moves, which is the cost the splice is there to save. Closing a descriptor does not wake a
     * poll, so it looks again every {@link #HANG_UP_RECHECK_MILLIS}.
     */
    void awaitHangUp(SocketChannel client, SocketChannel backend) throws IOException {
        Memory fds = new Memory(16);
        while (client.isOpen() && backend.isOpen()) {
            fds.clear();
            fds.setInt(0, fdOf(client));
            fds.setShort(4, POLLRDHUP);
            fds.setInt(8, fdOf(backend));
            fds.setShort(12, POLLRDHUP);
            int ready;
            try {
                ready = Libc.C.poll(fds, 2, HANG_UP_RECHECK_MILLIS);
            } catch (LastErrorException e) {
                if (e.getErrorCode() == EINTR) {
                    continue;
                }
                throw new IOException("poll: " + e.getMessage(), e);
            }
            if (ready > 0 && (fds.getShort(6) != 0 || fds.getShort(14) != 0)) {
                return; // POLLRDHUP, or POLLHUP, POLLERR, POLLNVAL, which poll always reports
            }
        }
    }

    /** Bytes the socket has received and had acknowledged, for activity once the proxy no longer sees them. */
    long bytesMoved(SocketChannel channel) throws IOException {
        int fd = fdOf(channel);
        return received(fd) + acked(fd);
    }

    private static long received(int fd) throws IOException {
        return tcpInfo(fd).getLong(TCPI_BYTES_RECEIVED);
    }

    private static long acked(int fd) throws IOException {
        return tcpInfo(fd).getLong(TCPI_BYTES_ACKED);
    }

    /** Bytes written to the socket so far: acknowledged, and still in its send queue. */
    private static long written(int fd) throws IOException {
        IntByReference queued = new IntByReference();
        try {
            Libc.C.ioctl(fd, TIOCOUTQ, queued);
        } catch (LastErrorException e) {
            throw new IOException("TIOCOUTQ: " + e.getMessage(), e);
        }
        return acked(fd) + queued.getValue();
    }

    private static Memory tcpInfo(int fd) throws IOException {
        Memory info = new Memory(TCP_INFO_BYTES);
        info.clear();
        IntByReference length = new IntByReference(TCP_INFO_BYTES);
        try {
            Libc.C.getsockopt(fd, IPPROTO_TCP, TCP_INFO, info, length);
        } catch (LastErrorException e) {
            throw new IOException("TCP_INFO: " + e.getMessage(), e);
        }
        return info;
    }

    private int fdOf(SocketChannel channel) throws IOException {
        try {
            return (int) fdOfChannel.invoke(channel);
        } catch (ReflectiveOperationException e) {
            throw new IOException("cannot read the descriptor of " + channel + ": " + e, e);
        }
    }

    private static long cookie(int fd) throws IOException {
        Memory value = new Memory(8);
        IntByReference length = new IntByReference(8);
        try {
            Libc.C.getsockopt(fd, SOL_SOCKET, SO_COOKIE, value, length);
        } catch (LastErrorException e) {
            throw new IOException("SO_COOKIE: " + e.getMessage(), e);
        }
        return value.getLong(0);
    }

    private void put(long key, int socketFd) throws IOException {
        Memory keyBytes = new Memory(8);
        keyBytes.setLong(0, key);
        Memory valueBytes = new Memory(4);
        valueBytes.setInt(0, socketFd);
        try {
            Bpf.put(map, keyBytes, valueBytes);
        } catch (LastErrorException e) {
            throw new IOException("adding a socket to the splice map: " + e.getMessage(), e);
        }
    }

    private static int loadProgram(int map) throws IOException {
        Bpf.Program program = new Bpf.Program()
                .add(0xbf, 6, 1, 0, 0)      // r6 = r1 (the skb)
                .add(0x85, 0, 0, 0, 46)     // r0 = bpf_get_socket_cookie(r1)
                .add(0x7b, 10, 0, -8, 0)    // *(u64 *)(r10 - 8) = r0
                .add(0xbf, 1, 6, 0, 0)      // r1 = r6
                .map(2, map)                // r2 = the map
                .add(0xbf, 3, 10, 0, 0)     // r3 = r10
                .add(0x07, 3, 0, 0, -8)     // r3 -= 8: the key
                .add(0xb7, 4, 0, 0, 0)      // r4 = 0: to the peer's send side
                .add(0x85, 0, 0, 0, 72)     // r0 = bpf_sk_redirect_hash(r1, r2, r3, r4)
                .add(0x55, 0, 0, 1, 0)      // if r0 != SK_DROP skip the next
                .add(0xb7, 0, 0, 0, 1)      // r0 = SK_PASS: no peer yet, keep the bytes
                .add(0x95, 0, 0, 0, 0);     // exit
        return Bpf.load(BPF_PROG_TYPE_SK_SKB, 0, program, "the splice program");
    }

    private static void attach(int map, int program) {
        Memory attr = Bpf.attr();
        attr.setInt(0, map);
        attr.setInt(4, program);
        attr.setInt(8, BPF_SK_SKB_VERDICT);
        Bpf.call(BPF_PROG_ATTACH, attr);
    }

    @Override
    public void close() {
        // Closing the map detaches the program; spliced sockets go on until their connections close.
        Libc.C.close(program);
        Libc.C.close(map);
    }
}
