package io.tidepool.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * Where an endpoint's data lives on a data root that the hosts of one machine share. Its first
 * primary uses {@code endpoints/NAME/pgdata}; a replacement that streams from it gets its own
 * directory ({@code endpoints/NAME/computes/COMPUTE/pgdata}), and when that replacement is
 * promoted the endpoint's {@code current} file points at it. Every primary started later (a move
 * by stop and start, a start after a host failure) finds the data through that pointer.
 *
 * <p>Beside it, {@code primary} holds the port of the endpoint's running primary, which a
 * replacement copies and follows. A directory the endpoint no longer needs moves to the data
 * root's {@code retired} directory and is deleted from there later ({@link RetiredData}).
 */
final class EndpointData {
    private static final String CURRENT = "current";
    private static final String PRIMARY = "primary";

    private final Path root;
    private final RetiredData retired;

    EndpointData(Path dataRoot, String endpoint, RetiredData retired) {
        this.root = dataRoot.resolve("endpoints").resolve(endpoint);
        this.retired = retired;
    }

    /** The data directory that holds the endpoint's data now. */
    Path current() throws IOException {
        Path pointer = root.resolve(CURRENT);
        if (!Files.isRegularFile(pointer)) {
            return root.resolve("pgdata");
        }
        return Path.of(Files.readString(pointer).trim());
    }

    /** Where a streaming replacement keeps its own copy until it is promoted. */
    Path ofCompute(String compute) {
        return root.resolve("computes").resolve(compute).resolve("pgdata");
    }

    /** Points the endpoint at {@code dataDir}; a rename, so a reader sees the old pointer or the new. */
    void pointAt(Path dataDir) throws IOException {
        Files.createDirectories(root);
        Path next = root.resolve(CURRENT + ".next");
        Files.writeString(next, dataDir.toString() + "\n");
        Files.move(next, root.resolve(CURRENT), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** The port of the endpoint's running primary, as it announced it. */
    Optional<Integer> primaryPort() {
        try {
            Path file = root.resolve(PRIMARY);
            return Files.isRegularFile(file) ? Optional.of(Integer.parseInt(Files.readString(file).trim())) : Optional.empty();
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    void announcePrimary(int port) throws IOException {
        Files.createDirectories(root);
        Path next = root.resolve(PRIMARY + ".next");
        Files.writeString(next, port + "\n");
        Files.move(next, root.resolve(PRIMARY), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Withdraws the announcement of the primary at {@code port}, unless another has announced itself since. */
    void withdrawPrimary(int port) throws IOException {
        if (primaryPort().filter(p -> p == port).isPresent()) {
            Files.deleteIfExists(root.resolve(PRIMARY));
        }
    }

    /**
     * Takes a data directory the endpoint no longer needs (a discarded replacement's, a former
     * primary's) out of its tree now; it is deleted later ({@link RetiredData}).
     */
    void remove(Path dataDir) throws IOException {
        if (!dataDir.startsWith(root) || dataDir.equals(current())) {
            throw new IllegalArgumentException(dataDir + " is not a spare data directory of " + root);
        }
        retired.retire(dataDir.getParent().equals(root) ? dataDir : dataDir.getParent());
    }
}
