package io.tidepool.proxy;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Platform;
import com.sun.jna.ptr.IntByReference;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.channels.SocketChannel;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
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
 * bpf_sk_redirect_hash(skb, map, &(key | INTO_RECEIVE_QUEUE), BPF_F_INGRESS) ?:
 * bpf_sk_redirect_hash(skb, map, &key, 0) ?: SK_PASS. Each socket is stored under the cookie of its
 * peer, so what arrives on one is sent on the other; a socket whose peer is not in the map yet
 * keeps its bytes. A closed socket leaves the map by itself.
 *
 * <p>When the backend runs on this machine its own socket takes the place of the proxy's socket to
 * it ({@link BackendSocket}): it is stored under the client's cookie with INTO_RECEIVE_QUEUE, so the
 * client's bytes land in the backend's receive queue, and the client's socket is stored under the
 * backend socket's ports for a send-side program ({@link SplicePrograms#sendSide}), which sends what the
 * backend writes out on the client's connection inline, from the backend's own send call: one
 * hop over loopback and one kworker wake-up less for each answer.
 *
 * <p>Needs Linux with CONFIG_BPF_STREAM_PARSER, CAP_BPF and CAP_NET_ADMIN (root), x86-64, and the
 * JVM option {@code --add-opens java.base/sun.nio.ch=ALL-UNNAMED} to read a channel's descriptor.
 * {@link #open} says why when any is missing, and the proxy copies the bytes itself.
 */
final class KernelSplice implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(KernelSplice.class);
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
    /** The send-side program, or -1 where the kernel has none: then every byte crosses the proxy's socket. */
    private final int sendProgram;
    private final Method fdOfChannel;

    private KernelSplice(int map, int program, int sendProgram, Method fdOfChannel) {
        this.map = map;
        this.program = program;
        this.sendProgram = sendProgram;
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
            int program = SplicePrograms.verdict(map);
            return Optional.of(new KernelSplice(map, program, SplicePrograms.sendSide(map), fdOfChannel));
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
                   long clientWritten, long backendWritten, boolean direct) {
    }

    /**
     * Splices the two connected sockets: from now on what either receives is sent on the other by
     * the kernel. Call it only when neither side can have bytes on their way (the startup is done
     * and the client waits for its ReadyForQuery): bytes read before would arrive after later ones.
     *
     * @param stillToClient bytes the proxy writes to the client right after (its ReadyForQuery)
     * @param backendPid    the backend's process, from its BackendKeyData: on this machine, the
     *                      splice reaches its own socket
     */
    Spliced splice(SocketChannel client, SocketChannel backend, int stillToClient, OptionalLong backendPid) throws IOException {
        int clientFd = fdOf(client);
        int backendFd = fdOf(backend);
        long clientCookie = cookie(clientFd);
        long backendCookie = cookie(backendFd);
        long clientReceived = received(clientFd);
        long backendReceived = received(backendFd);
        long clientWritten = written(clientFd) + stillToClient;
        long backendWritten = written(backendFd);
        boolean direct = backendPid.isPresent() && sendProgram >= 0 && spliceDirect(client, backend, backendPid.getAsLong());
        if (!direct) {
            // The backend under the client's cookie first: until the client is in the map, nothing it
            // receives is redirected, and it sends nothing before its ReadyForQuery.
            put(clientCookie, backendFd);
            put(backendCookie, clientFd);
        }
        return new Spliced(client, backend, clientReceived, backendReceived, clientWritten, backendWritten, direct);
    }

    /**
     * Where the backend runs on this machine: the client's bytes go into the backend's own socket's
     * receive queue, and what the backend sends goes on the client's connection from its own send
     * call, inline. The proxy's socket to the backend stays out of the map and carries nothing but
     * the hang-up. A socket can be in the map once, so it is this or the splice through the proxy's
     * socket; false, with nothing left in the map, when the backend's socket cannot be had.
     */
    private boolean spliceDirect(SocketChannel client, SocketChannel backend, long pid) throws IOException {
        // An address of this machine: a pid from elsewhere could name an unrelated process here.
        if (!(backend.getLocalAddress() instanceof InetSocketAddress proxySide)
                || !(backend.getRemoteAddress() instanceof InetSocketAddress backendSide)
                || !onThisMachine(backendSide.getAddress())) {
            return false;
        }
        OptionalInt own = BackendSocket.take(pid, proxySide, backendSide);
        if (own.isEmpty()) {
            return false;
        }
        int ownFd = own.getAsInt();
        try {
            long intoBackend = SplicePrograms.intoReceiveQueue(cookie(fdOf(client)));
            // The backend's socket first: until the client is in the map, nothing it receives is redirected.
            put(intoBackend, ownFd);
            try {
                put(SplicePrograms.sendKey(backendSide.getPort(), proxySide.getPort()), fdOf(client));
            } catch (IOException e) {
                remove(intoBackend);
                throw e;
            }
            return true;
        } catch (IOException e) {
            log.debug("splicing through the proxy's socket: {}", e.getMessage());
            return false;
        } finally {
            // The map keeps the socket for as long as the backend does, and no longer.
            Libc.C.close(ownFd);
        }
    }

    /** Whether a local backend's own socket can be spliced (the kernel runs send-side programs). */
    boolean splicesDirect() {
        return sendProgram >= 0;
    }

    private static boolean onThisMachine(InetAddress address) {
        try {
            return address.isLoopbackAddress() || NetworkInterface.getByInetAddress(address) != null;
        } catch (SocketException e) {
            return false;
        }
    }

    /**
     * Whether each side has had acknowledged all the kernel moved to it: a socket closed before
     * drops what the kernel still holds for it, such as the FATAL a backend sends as it ends. The
     * counts are TCP sequence numbers: a FIN received counts one, which is no byte to pass on (a
     * SYN acknowledged counts one too, on the proxy's side of the backend, in both counts alike).
     */
    boolean drained(Spliced spliced) throws IOException {
        Memory client = tcpInfo(fdOf(spliced.client()));
        if (spliced.direct()) {
            // The backend's answers went into the client socket's send queue from its own send
            // calls; the client's bytes went into a receive queue the proxy cannot see into.
            return gone(client) || unsent(fdOf(spliced.client())) == 0;
        }
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
        return acked(fd) + unsent(fd);
    }

    /** Bytes in the socket's send queue, not yet acknowledged. */
    private static long unsent(int fd) throws IOException {
        IntByReference queued = new IntByReference();
        try {
            Libc.C.ioctl(fd, TIOCOUTQ, queued);
        } catch (LastErrorException e) {
            throw new IOException("TIOCOUTQ: " + e.getMessage(), e);
        }
        return queued.getValue();
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

    private void remove(long key) {
        Memory keyBytes = new Memory(8);
        keyBytes.setLong(0, key);
        try {
            Bpf.remove(map, keyBytes);
        } catch (LastErrorException e) {
            log.warn("proxy: could not take a socket out of the splice map: {}", e.getMessage());
        }
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

    @Override
    public void close() {
        // Closing the map detaches the program; spliced sockets go on until their connections close.
        Libc.C.close(program);
        if (sendProgram >= 0) {
            Libc.C.close(sendProgram);
        }
        Libc.C.close(map);
    }
}
