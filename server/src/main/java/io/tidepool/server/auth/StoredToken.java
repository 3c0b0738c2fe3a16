package io.tidepool.server.auth;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * What the store keeps beside a token's hash: its owner and, for tokens that do not last (console
 * login codes and sessions), when it expires and when it was used. The value is the owner's name,
 * then one {@code key=value} line per field that is set, so the tokens of older nodes (the owner
 * alone) read as tokens that never expire.
 *
 * @param expiresAt null for a token that lasts until removed
 * @param usedAt    when a one-time token was used; null while it was not
 */
public record StoredToken(TokenOwner owner, Instant expiresAt, Instant usedAt) {
    private static final String EXPIRES = "expires=";
    private static final String USED = "used=";

    public StoredToken {
        if (owner == null) {
            throw new IllegalArgumentException("a stored token needs an owner");
        }
    }

    public static StoredToken lasting(TokenOwner owner) {
        return new StoredToken(owner, null, null);
    }

    public boolean expiredAt(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }

    public StoredToken usedAt(Instant at) {
        return new StoredToken(owner, expiresAt, at);
    }

    public byte[] encode() {
        StringBuilder text = new StringBuilder(owner.name());
        if (expiresAt != null) {
            text.append('\n').append(EXPIRES).append(expiresAt);
        }
        if (usedAt != null) {
            text.append('\n').append(USED).append(usedAt);
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** @throws IllegalArgumentException for a value no Tidepool node wrote */
    public static StoredToken decode(byte[] value) {
        String[] lines = new String(value, StandardCharsets.UTF_8).split("\n");
        Instant expires = null;
        Instant used = null;
        try {
            for (int i = 1; i < lines.length; i++) {
                if (lines[i].startsWith(EXPIRES)) {
                    expires = Instant.parse(lines[i].substring(EXPIRES.length()));
                } else if (lines[i].startsWith(USED)) {
                    used = Instant.parse(lines[i].substring(USED.length()));
                } else {
                    throw new IllegalArgumentException("unknown field in a stored token: \"" + lines[i] + "\"");
                }
            }
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("a stored token has an unreadable time: " + e.getParsedString(), e);
        }
        return new StoredToken(new TokenOwner(lines[0]), expires, used);
    }
}
