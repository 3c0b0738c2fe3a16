package io.tidepool.proxy;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The bpf(2) calls the proxy makes, with programs written as instructions: a map, a program
 * loaded into the kernel, elements put and removed. Shared by {@link KernelSplice} and
 * {@link ListenerSteering}; both need root (CAP_BPF, CAP_NET_ADMIN) and x86-64 (the syscall number).
 */
final class Bpf {
    static final int MAP_TYPE_SOCKHASH = 18;
    private static final long SYS_BPF = 321;
    private static final int MAP_CREATE = 0;
    private static final int MAP_UPDATE_ELEM = 2;
    private static final int MAP_DELETE_ELEM = 3;
    private static final int PROG_LOAD = 5;
    private static final int ATTR_BYTES = 144;
    private static final int VERIFIER_LOG_BYTES = 16 * 1024;

    private Bpf() {
    }

    /** A program's instructions, eight bytes each, as the kernel reads them (little-endian). */
    static final class Program {
        private final ByteBuffer code = ByteBuffer.allocate(64 * 8).order(ByteOrder.LITTLE_ENDIAN);

        Program add(int op, int dst, int src, int offset, int immediate) {
            code.put((byte) op).put((byte) ((src << 4) | dst)).putShort((short) offset).putInt(immediate);
            return this;
        }

        /** Loads a map's descriptor into {@code dst}: a 16-byte instruction. */
        Program map(int dst, int map) {
            return add(0x18, dst, 1, 0, map).add(0, 0, 0, 0, 0);
        }

        /** Instructions so far, which is the index of the next one. */
        int size() {
            return code.position() / 8;
        }
    }

    static int createMap(int type, int keyBytes, int valueBytes, int entries, String what) throws IOException {
        Memory attr = attr();
        attr.setInt(0, type);
        attr.setInt(4, keyBytes);
        attr.setInt(8, valueBytes);
        attr.setInt(12, entries);
        try {
            return (int) call(MAP_CREATE, attr);
        } catch (LastErrorException e) {
            throw new IOException("creating " + what + ": " + e.getMessage(), e);
        }
    }

    /**
     * @param expectedAttachType the attach type the program is for, 0 where its type says it
     */
    static int load(int type, int expectedAttachType, Program program, String what) throws IOException {
        int count = program.size();
        Memory instructions = new Memory(count * 8L);
        instructions.write(0, program.code.array(), 0, count * 8);
        Memory license = new Memory(4);
        license.setString(0, "GPL", "US-ASCII");
        Memory verifierLog = new Memory(VERIFIER_LOG_BYTES);
        verifierLog.clear();
        Memory attr = attr();
        attr.setInt(0, type);
        attr.setInt(4, count);
        attr.setLong(8, Pointer.nativeValue(instructions));
        attr.setLong(16, Pointer.nativeValue(license));
        attr.setInt(24, 1);
        attr.setInt(28, VERIFIER_LOG_BYTES);
        attr.setLong(32, Pointer.nativeValue(verifierLog));
        attr.setInt(68, expectedAttachType);
        try {
            return (int) call(PROG_LOAD, attr);
        } catch (LastErrorException e) {
            throw new IOException("loading " + what + ": " + e.getMessage() + ": " + verifierLog.getString(0, "US-ASCII"), e);
        } finally {
            // The attribute holds their addresses only: they must outlive the call.
            Reference.reachabilityFence(instructions);
            Reference.reachabilityFence(license);
        }
    }

    static void put(int map, Memory key, Memory value) throws LastErrorException {
        Memory attr = attr();
        attr.setInt(0, map);
        attr.setLong(8, Pointer.nativeValue(key));
        attr.setLong(16, Pointer.nativeValue(value));
        try {
            call(MAP_UPDATE_ELEM, attr);
        } finally {
            Reference.reachabilityFence(key);
            Reference.reachabilityFence(value);
        }
    }

    /** Removes the key's element; false when there was none. */
    static boolean remove(int map, Memory key) throws LastErrorException {
        Memory attr = attr();
        attr.setInt(0, map);
        attr.setLong(8, Pointer.nativeValue(key));
        try {
            call(MAP_DELETE_ELEM, attr);
            return true;
        } catch (LastErrorException e) {
            if (e.getErrorCode() == 2) { // ENOENT
                return false;
            }
            throw e;
        } finally {
            Reference.reachabilityFence(key);
        }
    }

    /** A command's attribute, zeroed: the kernel refuses one with bytes set beyond what the command reads. */
    static Memory attr() {
        Memory attr = new Memory(ATTR_BYTES);
        attr.clear();
        return attr;
    }

    static long call(int command, Memory attr) throws LastErrorException {
        return Libc.C.syscall(SYS_BPF, command, attr, ATTR_BYTES);
    }
}
