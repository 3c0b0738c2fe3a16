package io.tidepool.proxy;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Platform;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands new connections to an endpoint's port straight to the listening socket of its primary's
 * Postgres, when that runs on this machine: a BPF sk_lookup program, attached to this network
 * namespace, looks the port up in a sockhash as each SYN arrives and, when it finds a listener
 * there, has the kernel put the connection in that listener's accept queue. The proxy then has no
 * part in the connection at all, neither a thread nor a kernel redirect (the splice's redirect
 * wakes a kworker for every message, which costs a compute a sixth of its select-only throughput
 * when its clients outnumber the cores; docs/BENCHMARKS.md). A port with no listener in the map
 * falls through to the proxy's own listener, which holds, wakes and splices as before.
 *
 * <p>The program, in BPF instructions: if the connection is TCP over IPv4 to the proxy's address
 * (any address when it binds the wildcard), sk = lookup(map, local_port); if (sk) {
 * bpf_sk_assign(ctx, sk, 0); bpf_sk_release(sk); } return SK_PASS. The map holds a reference to
 * the listener, not a descriptor: the proxy takes a copy of Postgres's descriptor with
 * pidfd_getfd(2), puts it in the map and closes it, so the listener leaves the map by itself the
 * moment its Postgres closes it (stops or dies), and the port falls back to the proxy.
 *
 * <p>Needs Linux 5.9 or later (sk_lookup; pidfd_getfd, 5.6), root (CAP_BPF, CAP_NET_ADMIN,
 * CAP_SYS_PTRACE over Postgres) and x86-64. {@link #open} says why when any is missing.
 */
final class ListenerSteering implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ListenerSteering.class);
    private static final int PROG_TYPE_SK_LOOKUP = 30;
    private static final int ATTACH_SK_LOOKUP = 36;
    private static final int LINK_CREATE = 28;
    private static final int O_RDONLY = 0;
    private static final int O_CLOEXEC = 0x80000;
    private static final int IPPROTO_TCP = 6;
    private static final int AF_INET = 2;
    private static final int SK_PASS = 1;

    private final int map;
    private final int program;
    private final int link;

    private ListenerSteering(int map, int program, int link) {
        this.map = map;
        this.program = program;
        this.link = link;
    }

    /**
     * Steering for up to {@code ports} ports of the proxy listening on {@code bindHost}, or empty
     * with the reason logged once.
     */
    static Optional<ListenerSteering> open(String bindHost, int ports) {
        if (!Platform.isLinux() || !Platform.isIntel() || !Platform.is64Bit()) {
            log.info("proxy: not steering connections to local computes; that is for Linux on x86-64");
            return Optional.empty();
        }
        int map = -1;
        int program = -1;
        int namespace = -1;
        try {
            OptionalInt address = ipv4(bindHost);
            map = Bpf.createMap(Bpf.MAP_TYPE_SOCKHASH, 4, 8, ports, "the steering sockhash");
            program = Bpf.load(PROG_TYPE_SK_LOOKUP, ATTACH_SK_LOOKUP, program(map, address), "the steering program");
            namespace = Libc.C.open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
            Memory attr = Bpf.attr();
            attr.setInt(0, program);
            attr.setInt(4, namespace);
            attr.setInt(8, ATTACH_SK_LOOKUP);
            int link = (int) Bpf.call(LINK_CREATE, attr);
            Libc.C.close(namespace);
            return Optional.of(new ListenerSteering(map, program, link));
        } catch (LastErrorException | IOException e) {
            for (int fd : new int[] {namespace, program, map}) {
                if (fd >= 0) {
                    Libc.C.close(fd);
                }
            }
            log.info("proxy: not steering connections to local computes; not available here ({})", e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * The IPv4 address the program admits, as the kernel's context holds it (network order, read
     * as a little-endian word); empty for the wildcard.
     */
    private static OptionalInt ipv4(String bindHost) throws IOException {
        InetAddress address = InetAddress.getByName(bindHost);
        if (!(address instanceof Inet4Address)) {
            throw new IOException("the proxy binds " + bindHost + ", not an IPv4 address");
        }
        if (address.isAnyLocalAddress()) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(ByteBuffer.wrap(address.getAddress()).order(ByteOrder.LITTLE_ENDIAN).getInt());
    }

    private static Bpf.Program program(int map, OptionalInt address) {
        // Jumps are counted in instructions after the jump; "pass" is the last two.
        Bpf.Program code = new Bpf.Program()
                .add(0xbf, 6, 1, 0, 0);                               // r6 = r1 (the context)
        int checks = address.isPresent() ? 3 : 2;
        int toPass = 2 * checks + 13;                                // from the first check's jump to "pass"
        code.add(0x61, 2, 6, 12, 0)                                  // r2 = ctx->protocol
                .add(0x56, 2, 0, toPass, IPPROTO_TCP)                // if w2 != TCP goto pass
                .add(0x61, 2, 6, 8, 0)                               // r2 = ctx->family
                .add(0x56, 2, 0, toPass - 2, AF_INET);               // if w2 != AF_INET goto pass
        if (address.isPresent()) {
            code.add(0x61, 2, 6, 40, 0)                              // r2 = ctx->local_ip4
                    .add(0x56, 2, 0, toPass - 4, address.getAsInt()); // if w2 != the proxy's goto pass
        }
        code.add(0x61, 2, 6, 60, 0)                                  // r2 = ctx->local_port
                .add(0x63, 10, 2, -4, 0)                             // *(u32 *)(r10 - 4) = r2
                .add(0xbf, 2, 10, 0, 0)                              // r2 = r10
                .add(0x07, 2, 0, 0, -4)                              // r2 -= 4: the key
                .map(1, map)                                         // r1 = the map
                .add(0x85, 0, 0, 0, 1)                               // r0 = bpf_map_lookup_elem(r1, r2)
                .add(0x15, 0, 0, 7, 0)                               // if r0 == NULL goto pass
                .add(0xbf, 7, 0, 0, 0)                               // r7 = r0 (the listener)
                .add(0xbf, 1, 6, 0, 0)                               // r1 = r6
                .add(0xbf, 2, 7, 0, 0)                               // r2 = r7
                .add(0xb7, 3, 0, 0, 0)                               // r3 = 0
                .add(0x85, 0, 0, 0, 124)                             // bpf_sk_assign(r1, r2, r3): fails only for a mismatch
                .add(0xbf, 1, 7, 0, 0)                               // r1 = r7
                .add(0x85, 0, 0, 0, 86)                              // bpf_sk_release(r1)
                .add(0xb7, 0, 0, 0, SK_PASS)                         // pass: r0 = SK_PASS
                .add(0x95, 0, 0, 0, 0);                              // exit
        return code;
    }

    /**
     * From now on new connections to {@code port} go to the socket {@code fd} of process {@code pid},
     * which must be a TCP listener.
     */
    void steer(int port, long pid, int fd) throws IOException {
        int pidfd = -1;
        int copy = -1;
        try {
            pidfd = (int) Libc.C.syscall(Libc.SYS_PIDFD_OPEN, pid, 0, 0);
            copy = (int) Libc.C.syscall(Libc.SYS_PIDFD_GETFD, pidfd, fd, 0);
            Memory key = new Memory(4);
            key.setInt(0, port);
            Memory value = new Memory(8);
            value.setLong(0, copy);
            Bpf.put(map, key, value);
        } catch (LastErrorException e) {
            throw new IOException("steering port " + port + " to descriptor " + fd + " of process " + pid + ": "
                    + e.getMessage(), e);
        } finally {
            // The map keeps the listener for as long as its Postgres does, and no longer.
            if (copy >= 0) {
                Libc.C.close(copy);
            }
            if (pidfd >= 0) {
                Libc.C.close(pidfd);
            }
        }
    }

    /** New connections to {@code port} reach the proxy's own listener again. */
    void release(int port) {
        Memory key = new Memory(4);
        key.setInt(0, port);
        try {
            Bpf.remove(map, key);
        } catch (LastErrorException e) {
            // Only a bad map descriptor fails here, and then nothing is steered anyway.
            log.warn("proxy: could not stop steering port {}: {}", port, e.getMessage());
        }
    }

    @Override
    public void close() {
        // Closing the link detaches the program: every port falls back to the proxy at once.
        Libc.C.close(link);
        Libc.C.close(program);
        Libc.C.close(map);
    }
}
