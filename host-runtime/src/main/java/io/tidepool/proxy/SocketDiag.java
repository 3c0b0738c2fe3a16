package io.tidepool.proxy;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The machine's established TCP connections over IPv4, with how long each has been quiet, read
 * from the kernel's socket diagnostics (netlink sock_diag, as {@code ss -ti} does). Steered
 * connections belong to Postgres, not the proxy: this is how the proxy still sees them.
 */
final class SocketDiag {
    private static final int AF_NETLINK = 16;
    private static final int SOCK_RAW = 3;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int NETLINK_SOCK_DIAG = 4;
    private static final short SOCK_DIAG_BY_FAMILY = 20;
    private static final short NLM_F_REQUEST = 0x1;
    private static final short NLM_F_DUMP = 0x300;
    private static final int NLMSG_ERROR = 2;
    private static final int NLMSG_DONE = 3;
    private static final int HEADER_BYTES = 16;
    private static final int REQUEST_BYTES = 56;
    private static final int MESSAGE_BYTES = 72;
    private static final byte AF_INET = 2;
    private static final byte IPPROTO_TCP = 6;
    private static final int TCP_ESTABLISHED = 1;
    private static final int INET_DIAG_INFO = 2;
    private static final int TCPI_LAST_DATA_SENT = 44;
    private static final int TCPI_LAST_DATA_RECV = 52;
    private static final int RECEIVE_BYTES = 64 * 1024;

    /**
     * One connection: the local end's port, the socket's inode, and the milliseconds since data
     * last went either way.
     */
    record Connection(int localPort, long inode, long quietMillis) {
    }

    private SocketDiag() {
    }

    /** Every established IPv4 TCP connection of this network namespace. */
    static List<Connection> established() throws IOException {
        int fd;
        try {
            fd = Libc.C.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
        } catch (LastErrorException e) {
            throw new IOException("netlink sock_diag: " + e.getMessage(), e);
        }
        try {
            request(fd);
            return replies(fd);
        } finally {
            Libc.C.close(fd);
        }
    }

    private static void request(int fd) throws IOException {
        ByteBuffer request = ByteBuffer.allocate(HEADER_BYTES + REQUEST_BYTES).order(ByteOrder.nativeOrder());
        request.putInt(HEADER_BYTES + REQUEST_BYTES).putShort(SOCK_DIAG_BY_FAMILY)
                .putShort((short) (NLM_F_REQUEST | NLM_F_DUMP)).putInt(1).putInt(0);
        request.put(AF_INET).put(IPPROTO_TCP).put((byte) (1 << (INET_DIAG_INFO - 1))).put((byte) 0)
                .putInt(1 << TCP_ESTABLISHED); // the socket id that follows stays zero: every socket
        Memory buffer = new Memory(request.capacity());
        buffer.clear();
        buffer.write(0, request.array(), 0, request.position());
        try {
            Libc.C.send(fd, buffer, buffer.size(), 0);
        } catch (LastErrorException e) {
            throw new IOException("netlink sock_diag request: " + e.getMessage(), e);
        }
    }

    private static List<Connection> replies(int fd) throws IOException {
        List<Connection> connections = new ArrayList<>();
        Memory buffer = new Memory(RECEIVE_BYTES);
        while (true) {
            long received;
            try {
                received = Libc.C.recv(fd, buffer, RECEIVE_BYTES, 0);
            } catch (LastErrorException e) {
                throw new IOException("netlink sock_diag reply: " + e.getMessage(), e);
            }
            ByteBuffer replies = buffer.getByteBuffer(0, received).order(ByteOrder.nativeOrder());
            for (int at = 0; at + HEADER_BYTES <= received; ) {
                int length = replies.getInt(at);
                int type = replies.getShort(at + 4);
                if (type == NLMSG_DONE) {
                    return connections;
                }
                if (type == NLMSG_ERROR) {
                    throw new IOException("netlink sock_diag: error " + -replies.getInt(at + HEADER_BYTES));
                }
                if (length < HEADER_BYTES + MESSAGE_BYTES) {
                    throw new IOException("netlink sock_diag: a reply of " + length + " bytes");
                }
                connections.add(connection(replies, at + HEADER_BYTES, at + length));
                at += align(length);
            }
        }
    }

    /** One inet_diag_msg and its attributes, from {@code at} to {@code end}. */
    private static Connection connection(ByteBuffer replies, int at, int end) {
        int localPort = Short.toUnsignedInt(replies.order(ByteOrder.BIG_ENDIAN).getShort(at + 4));
        replies.order(ByteOrder.nativeOrder());
        long inode = Integer.toUnsignedLong(replies.getInt(at + 68));
        long quiet = Long.MAX_VALUE;
        for (int attribute = at + MESSAGE_BYTES; attribute + 4 <= end; ) {
            int length = Short.toUnsignedInt(replies.getShort(attribute));
            if (length < 4) {
                break;
            }
            if (replies.getShort(attribute + 2) == INET_DIAG_INFO && length >= 4 + TCPI_LAST_DATA_RECV + 4) {
                quiet = Math.min(Integer.toUnsignedLong(replies.getInt(attribute + 4 + TCPI_LAST_DATA_SENT)),
                        Integer.toUnsignedLong(replies.getInt(attribute + 4 + TCPI_LAST_DATA_RECV)));
            }
            attribute += align(length);
        }
        return new Connection(localPort, inode, quiet);
    }

    private static int align(int length) {
        return (length + 3) & ~3;
    }
}
