package io.tidepool.proxy;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.ptr.IntByReference;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;

/**
 * The other end of the proxy's connection to a Postgres backend on this machine: the socket the
 * backend process itself reads and writes. The backend's pid is in the BackendKeyData it sent at
 * the startup; its descriptors are in {@code /proc/<pid>/fd}, and pidfd_getfd(2) copies the one
 * whose addresses mirror the proxy's socket. With it in the splice's map the kernel can put a
 * client's bytes straight into the backend's receive queue and the backend's answers straight on
 * the client's connection, with no hop over loopback through the proxy's own socket.
 */
final class BackendSocket {
    private static final int AF_INET = 2;
    private static final int AF_INET6 = 10;
    private static final int SOCKADDR_BYTES = 28;

    private BackendSocket() {
    }

    /**
     * A copy of the descriptor of the socket process {@code pid} holds with the local address
     * {@code backendSide} and the peer {@code proxySide}; empty when there is none, or it cannot be
     * taken (another machine's process, not root). The caller closes the copy.
     */
    static OptionalInt take(long pid, InetSocketAddress proxySide, InetSocketAddress backendSide) {
        Path fds = Path.of("/proc", Long.toString(pid), "fd");
        int pidfd;
        try {
            pidfd = (int) Libc.C.syscall(Libc.SYS_PIDFD_OPEN, pid, 0, 0);
        } catch (LastErrorException e) {
            return OptionalInt.empty();
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(fds)) {
            for (Path entry : entries) {
                if (!isSocket(entry)) {
                    continue;
                }
                int copy;
                try {
                    copy = (int) Libc.C.syscall(Libc.SYS_PIDFD_GETFD, pidfd, Integer.parseInt(entry.getFileName().toString()), 0);
                } catch (LastErrorException | NumberFormatException e) {
                    continue; // closed meanwhile, or not ours to take
                }
                if (port(copy, false) == backendSide.getPort() && port(copy, true) == proxySide.getPort()) {
                    return OptionalInt.of(copy);
                }
                Libc.C.close(copy);
            }
            return OptionalInt.empty();
        } catch (IOException | RuntimeException e) {
            return OptionalInt.empty();
        } finally {
            Libc.C.close(pidfd);
        }
    }

    private static boolean isSocket(Path entry) {
        try {
            return Files.readSymbolicLink(entry).toString().startsWith("socket:[");
        } catch (IOException e) {
            return false;
        }
    }

    /** The port of the socket's own address, or of its peer's; -1 for anything but TCP/IP. */
    private static int port(int fd, boolean peer) {
        Memory address = new Memory(SOCKADDR_BYTES);
        address.clear();
        IntByReference length = new IntByReference(SOCKADDR_BYTES);
        try {
            if (peer) {
                Libc.C.getpeername(fd, address, length);
            } else {
                Libc.C.getsockname(fd, address, length);
            }
        } catch (LastErrorException e) {
            return -1;
        }
        short family = address.getShort(0);
        if (family != AF_INET && family != AF_INET6) {
            return -1; // the port is at the same place in both
        }
        return ((address.getByte(2) & 0xff) << 8) | (address.getByte(3) & 0xff);
    }
}
