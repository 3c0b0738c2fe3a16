package io.tidepool.event;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The stored name of an event: its object's name and a hash of what happened, so that the same
 * thing happening to the same object again counts one event up instead of adding another, as
 * Kubernetes aggregates its events. A DNS label, so it works in URLs and keys.
 */
final class EventNames {
    private static final int NAME_PART = 40;
    private static final int HASH_BYTES = 6;

    private EventNames() {
    }

    static String of(EventNote note) {
        String object = note.involved().substring(note.involved().indexOf('/') + 1).toLowerCase(Locale.ROOT);
        String prefix = object.length() > NAME_PART ? object.substring(0, NAME_PART) : object;
        prefix = prefix.replaceAll("-+$", "");
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest((note.involved() + "\n" + note.type() + "\n"
                    + note.reason() + "\n" + note.message()).getBytes(StandardCharsets.UTF_8));
            return prefix + "." + HexFormat.of().formatHex(digest, 0, HASH_BYTES);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
