package io.tidepool.manifests.sync;

import io.tidepool.manifests.git.RepositoryAddress;
import io.tidepool.manifests.git.RepositoryPath;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

/**
 * The apply set a sync writes when none is named: the repository's name and the path, readable,
 * and a hash of repository, branch and path, so that two syncs of different sources never share
 * a set (each would prune what the other applied) while the CLI and the server syncing the same
 * source do.
 */
public final class SetName {
    private static final int MAX_NAME_LENGTH = 63;
    private static final int HASH_CHARS = 6;

    private SetName() {
    }

    public static String derive(RepositoryAddress repo, Optional<String> branch, RepositoryPath path) {
        String readable = (repo.name() + "-" + path.value()).toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        int room = MAX_NAME_LENGTH - HASH_CHARS - 1;
        if (readable.length() > room) {
            readable = readable.substring(0, room).replaceAll("-+$", "");
        }
        String hash = hash(repo.shown() + "\n" + branch.orElse("") + "\n" + path.value());
        return (readable.isEmpty() ? "git" : readable) + "-" + hash;
    }

    private static String hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, HASH_CHARS);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
