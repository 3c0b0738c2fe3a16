package io.tidepool.server.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The admin token of one node: made on its first start and kept in its data dir, readable by the
 * owner only. Its hash is registered in the store, so every node of a cluster accepts it.
 */
public final class AdminToken {
    public static final String FILE_NAME = "admin.token";

    private AdminToken() {
    }

    /** Reads the node's token, making one first if the data dir has none. */
    public static String loadOrCreate(Path dataDir) throws IOException {
        Path file = dataDir.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            create(file);
        }
        String token = Files.readString(file, StandardCharsets.UTF_8).trim();
        if (token.isEmpty()) {
            throw new IOException(file + " is empty: delete it to have a new admin token made");
        }
        return token;
    }

    private static void create(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        String token = TokenRegistry.newToken();
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (FileAlreadyExistsException raced) {
            return;
        }
        Files.writeString(file, token + "\n", StandardCharsets.UTF_8);
    }
}
