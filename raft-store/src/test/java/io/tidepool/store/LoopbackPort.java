package io.tidepool.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A port on 127.0.0.1 that was free a moment ago, for a test's server to listen on.
 *
 * <p>Ports come from below Linux's ephemeral range (32768 and up), where the kernel picks the
 * source ports of outgoing connections: a port from that range, free when asked, can be taken by
 * a client's connection before the test's server binds it. Each port is handed out once per JVM,
 * and JVMs start at different places in the range, so concurrent tests do not share one either.
 */
public final class LoopbackPort {
    private static final int FIRST = 20_000;
    private static final int END = 32_000;
    private static final AtomicInteger NEXT =
            new AtomicInteger(FIRST + (int) (ProcessHandle.current().pid() * 97 % (END - FIRST)));

    private LoopbackPort() {
    }

    public static int free() {
        return freeRange(1);
    }

    /**
     * The first of {@code count} consecutive ports that were all free a moment ago, none of them
     * handed out before: for a server that takes a range (the endpoint proxy).
     */
    public static int freeRange(int count) {
        for (int tries = 0; tries < END - FIRST; tries++) {
            int first = FIRST + Math.floorMod(NEXT.getAndAdd(count) - FIRST, END - FIRST - count);
            boolean allFree = true;
            for (int port = first; port < first + count && allFree; port++) {
                allFree = bindable(port);
            }
            if (allFree) {
                return first;
            }
        }
        throw new UncheckedIOException(new IOException("no " + count + " free ports on 127.0.0.1 in " + FIRST + ".." + END));
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
