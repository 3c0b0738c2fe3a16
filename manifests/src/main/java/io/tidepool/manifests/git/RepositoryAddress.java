package io.tidepool.manifests.git;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Where a repository is, as git is given it: a URL ({@code https://...}, {@code ssh://...},
 * {@code file://...}), an scp-like address ({@code git@host:org/repo}) or a local path, made
 * absolute, since git runs in the cache and not where the user typed it.
 *
 * @param location what git is given
 * @param shown    what people and records see: the location without any user or password in it
 */
public record RepositoryAddress(String location, String shown) {
    private static final int MAX_NAME_CHARS = 48;

    public RepositoryAddress {
        if (location == null || location.isBlank()) {
            throw new IllegalArgumentException("no repository given");
        }
    }

    /**
     * @param text       as the user wrote it
     * @param workingDir what a relative local path is relative to
     * @throws IllegalArgumentException naming what is wrong with it
     */
    public static RepositoryAddress parse(String text, Path workingDir) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("no repository given: expected a URL git can reach or a local path");
        }
        String trimmed = text.strip();
        if (trimmed.startsWith("-")) {
            throw new IllegalArgumentException("\"" + trimmed + "\" is not a repository: it starts with '-'");
        }
        if (trimmed.contains("://")) {
            return new RepositoryAddress(trimmed, withoutUserInfo(trimmed));
        }
        if (isScpLike(trimmed)) {
            return new RepositoryAddress(trimmed, trimmed);
        }
        String path = workingDir.resolve(trimmed).toAbsolutePath().normalize().toString();
        return new RepositoryAddress(path, path);
    }

    /** As git decides: a colon before any slash makes {@code host:path} an ssh address. */
    private static boolean isScpLike(String text) {
        int colon = text.indexOf(':');
        int slash = text.indexOf('/');
        return colon > 0 && (slash < 0 || colon < slash);
    }

    // A token in https://TOKEN@host/... must not reach logs, the console or the store.
    private static String withoutUserInfo(String url) {
        try {
            URI uri = new URI(url);
            if (uri.getRawUserInfo() == null) {
                return url;
            }
            return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), uri.getQuery(),
                    uri.getFragment()).toString();
        } catch (URISyntaxException e) {
            int at = url.lastIndexOf('@');
            int scheme = url.indexOf("://");
            return at > scheme ? url.substring(0, scheme + 3) + url.substring(at + 1) : url;
        }
    }

    /** Replaces the location by what may be shown, in text that git wrote (its errors repeat the URL). */
    public String redact(String text) {
        return location.equals(shown) ? text : text.replace(location, shown);
    }

    /**
     * The name of this repository's cache directory: readable (host and path, or the last part of a
     * local path) and unique (a hash of the full location).
     */
    public String cacheName() {
        String readable = shown.replaceFirst("^[a-zA-Z][a-zA-Z0-9+.-]*://", "")
                .replaceAll("\\.git/?$", "")
                .toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9.]+", "-")
                .replaceAll("^[-.]+|-+$", "");
        if (readable.length() > MAX_NAME_CHARS) {
            readable = readable.substring(readable.length() - MAX_NAME_CHARS).replaceAll("^[-.]+", "");
        }
        return (readable.isEmpty() ? "repo" : readable) + "-" + hash(location);
    }

    /** The repository's own name: the last part of its path, without {@code .git}. */
    public String name() {
        String path = shown.replaceAll("/+$", "").replaceAll("\\.git$", "");
        int cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf(':'));
        return path.substring(cut + 1);
    }

    private static String hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    @Override
    public String toString() {
        return shown;
    }
}
