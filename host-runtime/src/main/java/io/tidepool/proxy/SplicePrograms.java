package io.tidepool.proxy;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The splice's two BPF programs, attached to its sockhash ({@link KernelSplice}), and the keys they
 * look sockets up by. The verdict program runs for what arrives on a socket in the map; the
 * send-side program for what a process sends on one.
 */
final class SplicePrograms {
    private static final Logger log = LoggerFactory.getLogger(SplicePrograms.class);
    private static final int BPF_PROG_ATTACH = 8;
    private static final int BPF_PROG_TYPE_SK_SKB = 14;
    private static final int BPF_SK_SKB_VERDICT = 38;
    private static final int BPF_PROG_TYPE_SK_MSG = 16;
    private static final int BPF_SK_MSG_VERDICT = 7;
    /** Keys with this bit redirect into the peer's receive queue (BPF_F_INGRESS), not its send side. */
    private static final long INTO_RECEIVE_QUEUE = 1L << 63;
    /** Keys with this bit are looked up by the send-side program: what a backend's own socket sends. */
    private static final long ON_SEND = 1L << 62;
    private static final int MSG_REDIRECT_HASH = 71;
    private static final int SK_REDIRECT_HASH = 72;
    private static final int BPF_F_INGRESS = 1;

    private SplicePrograms() {
    }

    /** The verdict program's key under which a socket gets what arrives on the socket with {@code cookie}, in its receive queue. */
    static long intoReceiveQueue(long cookie) {
        return cookie | INTO_RECEIVE_QUEUE;
    }

    /** The send-side program's key of the socket with local port {@code local} and remote port {@code remote}. */
    static long sendKey(int local, int remote) {
        return ON_SEND | (long) local << 16 | (Short.reverseBytes((short) remote) & 0xffff);
    }

    /** Loads the verdict program and attaches it to {@code map}. */
    static int verdict(int map) throws IOException {
        Bpf.Program program = new Bpf.Program()
                .add(0xbf, 6, 1, 0, 0)      // r6 = r1 (the skb)
                .add(0x85, 0, 0, 0, 46)     // r0 = bpf_get_socket_cookie(r1)
                .add(0xbf, 7, 0, 0, 0)      // r7 = r0
                .add(0xb7, 1, 0, 0, 1)      // r1 = 1
                .add(0x67, 1, 0, 0, 63)     // r1 <<= 63: INTO_RECEIVE_QUEUE
                .add(0x4f, 0, 1, 0, 0)      // r0 |= r1
                .add(0x7b, 10, 0, -8, 0);   // *(u64 *)(r10 - 8) = r0
        redirect(program, map, SK_REDIRECT_HASH, BPF_F_INGRESS) // into the peer's receive queue
                .add(0x55, 0, 0, 10, 0)     // if r0 != SK_DROP goto exit
                .add(0x7b, 10, 7, -8, 0);   // *(u64 *)(r10 - 8) = r7: the cookie alone
        redirect(program, map, SK_REDIRECT_HASH, 0) // to the peer's send side
                .add(0x55, 0, 0, 1, 0)      // if r0 != SK_DROP skip the next
                .add(0xb7, 0, 0, 0, 1)      // r0 = SK_PASS: no peer yet, keep the bytes
                .add(0x95, 0, 0, 0, 0);     // exit
        int loaded = Bpf.load(BPF_PROG_TYPE_SK_SKB, 0, program, "the splice program");
        try {
            attach(map, loaded, BPF_SK_SKB_VERDICT);
        } catch (LastErrorException e) {
            Libc.C.close(loaded);
            throw new IOException("attaching the splice program: " + e.getMessage(), e);
        }
        return loaded;
    }

    /**
     * key = ON_SEND | msg->local_port << 16 | msg->remote_port; return bpf_msg_redirect_hash(msg,
     * map, &key, 0) ?: SK_PASS: what a backend sends on its own socket goes out on its client's
     * connection; what anything else sends (the proxy, on its sockets) goes where it was sent. A
     * send-side program cannot read a socket's cookie, so its ports name it: the backend's own
     * port and the proxy socket's, which no other socket on the machine has both of. The remote
     * port is in network byte order, in the low or (on some kernels) the high half of the word.
     */
    static int sendSide(int map) {
        Bpf.Program code = new Bpf.Program()
                .add(0xbf, 6, 1, 0, 0)      // r6 = r1 (the msg)
                .add(0x61, 2, 6, 64, 0)     // r2 = msg->local_port
                .add(0x67, 2, 0, 0, 16)     // r2 <<= 16
                .add(0x61, 3, 6, 60, 0)     // r3 = msg->remote_port
                .add(0xbf, 4, 3, 0, 0)      // r4 = r3
                .add(0x77, 4, 0, 0, 16)     // r4 >>= 16
                .add(0x4f, 3, 4, 0, 0)      // r3 |= r4
                .add(0x57, 3, 0, 0, 0xffff) // r3 &= 0xffff
                .add(0x4f, 2, 3, 0, 0)      // r2 |= r3
                .add(0xb7, 1, 0, 0, 1)      // r1 = 1
                .add(0x67, 1, 0, 0, 62)     // r1 <<= 62: ON_SEND
                .add(0x4f, 2, 1, 0, 0)      // r2 |= r1
                .add(0x7b, 10, 2, -8, 0);   // *(u64 *)(r10 - 8) = r2
        redirect(code, map, MSG_REDIRECT_HASH, 0) // to the peer's send side
                .add(0x55, 0, 0, 1, 0)      // if r0 != SK_DROP skip the next
                .add(0xb7, 0, 0, 0, 1)      // r0 = SK_PASS: not a backend's socket
                .add(0x95, 0, 0, 0, 0);     // exit
        int program = -1;
        try {
            program = Bpf.load(BPF_PROG_TYPE_SK_MSG, 0, code, "the splice's send-side program");
            attach(map, program, BPF_SK_MSG_VERDICT);
            return program;
        } catch (IOException | LastErrorException e) {
            if (program >= 0) {
                Libc.C.close(program);
            }
            log.info("proxy: spliced bytes cross the proxy's own socket to local backends too ({})", e.getMessage());
            return -1;
        }
    }

    /**
     * r0 = helper(r6, map, r10 - 8, flags): a redirect helper called with the program's context
     * (kept in r6) and the key stored at r10 - 8. Seven instructions.
     */
    private static Bpf.Program redirect(Bpf.Program code, int map, int helper, int flags) {
        return code.add(0xbf, 1, 6, 0, 0)   // r1 = r6
                .map(2, map)                // r2 = the map
                .add(0xbf, 3, 10, 0, 0)     // r3 = r10
                .add(0x07, 3, 0, 0, -8)     // r3 -= 8: the key
                .add(0xb7, 4, 0, 0, flags)  // r4 = flags
                .add(0x85, 0, 0, 0, helper); // call helper
    }

    private static void attach(int map, int program, int attachType) {
        Memory attr = Bpf.attr();
        attr.setInt(0, map);
        attr.setInt(4, program);
        attr.setInt(8, attachType);
        Bpf.call(BPF_PROG_ATTACH, attr);
    }
}
