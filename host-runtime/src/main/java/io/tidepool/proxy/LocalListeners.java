package io.tidepool.proxy;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Which process of this machine listens on a TCP address, and under which descriptor: the kernel's
 * socket tables ({@code /proc/net/tcp}, and {@code tcp6} for dual-stack listeners, as Java's are)
 * give the listening socket's inode, and each process's {@code /proc/<pid>/fd} links say who
 * holds it. IPv4 addresses only, as the proxy's backends are.
 */
final class LocalListeners {
    private static final String LISTEN = "0A";

    /** A listening socket as one of its holders sees it. */
    record Listener(long pid, int fd) {
    }

    private final Path proc;

    LocalListeners(Path proc) {
        this.proc = proc;
    }

    static LocalListeners ofThisMachine() {
        return new LocalListeners(Path.of("/proc"));
    }

    /** The listener {@code backend} connects to, when a process of this network namespace holds it. */
    Optional<Listener> find(EndpointState.Backend backend) {
        try {
            InetAddress address = InetAddress.getByName(backend.host());
            if (!(address instanceof Inet4Address)) {
                return Optional.empty();
            }
            OptionalLong inode = listeningInode(Files.readString(proc.resolve("net/tcp")), (Inet4Address) address,
                    backend.port());
            Path dualStack = proc.resolve("net/tcp6");
            if (inode.isEmpty() && Files.isReadable(dualStack)) {
                inode = listeningInode(Files.readString(dualStack), (Inet4Address) address, backend.port());
            }
            return inode.isPresent() ? holderOf(inode.getAsLong()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * The inode of the socket listening on {@code address:port} in a {@code /proc/net/tcp} or
     * {@code tcp6} table, or on the wildcard address and that port (which takes connections to
     * {@code address} too). In tcp6, an IPv4 address is v4-mapped ({@code ::ffff:a.b.c.d}); a
     * v6-only socket on the wildcard would match too, and then fails to take the connections.
     */
    static OptionalLong listeningInode(String table, Inet4Address address, int port) {
        byte[] bytes = address.getAddress();
        // The tables print each 32-bit word as the number it is in memory, so in reverse on x86.
        String word = String.format(Locale.ROOT, "%02X%02X%02X%02X", bytes[3], bytes[2], bytes[1], bytes[0]);
        String suffix = String.format(Locale.ROOT, ":%04X", port);
        Set<String> matching = Set.of(word + suffix, "00000000" + suffix, "0000000000000000FFFF0000" + word + suffix,
                "0".repeat(32) + suffix);
        for (String line : table.split("\n")) {
            String[] fields = line.trim().split("\\s+");
            // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
            if (fields.length < 10 || !fields[3].equals(LISTEN)) {
                continue;
            }
            if (matching.contains(fields[1])) {
                return OptionalLong.of(Long.parseLong(fields[9]));
            }
        }
        return OptionalLong.empty();
    }

    /** A process holding socket {@code inode}, and its descriptor for it. */
    private Optional<Listener> holderOf(long inode) throws IOException {
        String link = "socket:[" + inode + "]";
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(proc, entry -> isNumber(entry.getFileName().toString()))) {
            for (Path process : processes) {
                Optional<Integer> fd = descriptorOf(process.resolve("fd"), link);
                if (fd.isPresent()) {
                    return Optional.of(new Listener(Long.parseLong(process.getFileName().toString()), fd.get()));
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<Integer> descriptorOf(Path fds, String link) {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(fds)) {
            for (Path entry : entries) {
                try {
                    if (Files.readSymbolicLink(entry).toString().equals(link)) {
                        return Optional.of(Integer.parseInt(entry.getFileName().toString()));
                    }
                } catch (IOException e) {
                    // Closed meanwhile.
                }
            }
        } catch (IOException e) {
            // The process ended meanwhile, or is not ours to look into.
        }
        return Optional.empty();
    }

    private static boolean isNumber(String name) {
        return !name.isEmpty() && name.chars().allMatch(Character::isDigit);
    }
}
