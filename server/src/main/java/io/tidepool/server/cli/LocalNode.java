package io.tidepool.server.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The Raft address of the node that {@code up} runs, chosen on its first start and kept in the
 * data dir: the store's log records it, so a restart must use the same one.
 */
final class LocalNode {
    private static final String FILE_NAME = "raft-address";
    private final Path dataDir;

    LocalNode(Path dataDir) {
        this.dataDir = dataDir;
    }

    String raftAddress(String host, int preferredPort) throws IOException {
        Path file = dataDir.resolve(FILE_NAME);
        if (Files.exists(file)) {
            return Files.readString(file, StandardCharsets.UTF_8).trim();
        }
        String address = host + ":" + (isFree(host, preferredPort) ? preferredPort : freePort(host));
        Files.createDirectories(dataDir);
        Files.writeString(file, address + "\n", StandardCharsets.UTF_8);
        return address;
    }

    private static boolean isFree(String host, int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(host, port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort(String host) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(host, 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on " + host, e);
        }
    }
}
