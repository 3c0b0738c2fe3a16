package io.tidepool.proxy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The first message of a Postgres connection, as a client sends it before any authentication: a
 * request for TLS or GSS encryption, a cancel request for a running query, or the startup message
 * proper with its parameters (user, database). The proxy routes by port, not by these parameters,
 * so it keeps the message whole and hands it to the backend unchanged.
 *
 * @param packet the whole message, its length word included
 */
public record StartupMessage(Kind kind, byte[] packet) {
    /** Protocol 3.0, what every libpq since 7.4 speaks. */
    public static final int PROTOCOL_3 = 196608;
    public static final int SSL_REQUEST = 80877103;
    public static final int GSSENC_REQUEST = 80877104;
    public static final int CANCEL_REQUEST = 80877102;
    /** Postgres itself refuses startup packets over 10,000 bytes. */
    public static final int MAX_LENGTH = 10_000;

    public enum Kind { SSL_REQUEST, GSSENC_REQUEST, CANCEL_REQUEST, STARTUP }

    /**
     * The message a client sent, from its length word and the rest of its bytes; empty when it is no
     * startup message a Postgres server would take (the client then gets an error).
     */
    public static Optional<StartupMessage> parse(byte[] packet) {
        if (packet.length < 8 || packet.length > MAX_LENGTH || ByteBuffer.wrap(packet).getInt() != packet.length) {
            return Optional.empty();
        }
        int code = ByteBuffer.wrap(packet, 4, 4).getInt();
        if (code == SSL_REQUEST && packet.length == 8) {
            return Optional.of(new StartupMessage(Kind.SSL_REQUEST, packet));
        }
        if (code == GSSENC_REQUEST && packet.length == 8) {
            return Optional.of(new StartupMessage(Kind.GSSENC_REQUEST, packet));
        }
        if (code == CANCEL_REQUEST && packet.length == 16) {
            return Optional.of(new StartupMessage(Kind.CANCEL_REQUEST, packet));
        }
        if (code >>> 16 == 3) {
            return Optional.of(new StartupMessage(Kind.STARTUP, packet));
        }
        return Optional.empty();
    }

    /** The length a message declares in its first four bytes. */
    public static int declaredLength(byte[] lengthWord) {
        return ByteBuffer.wrap(lengthWord).getInt();
    }

    /** A cancel request's key: the backend's process id and secret, as BackendKeyData gave them. */
    public CancelKey cancelKey() {
        if (kind != Kind.CANCEL_REQUEST) {
            throw new IllegalStateException("only a cancel request carries a cancel key, this is a " + kind);
        }
        ByteBuffer buffer = ByteBuffer.wrap(packet);
        return new CancelKey(buffer.getInt(8), buffer.getInt(12));
    }

    /** A startup parameter (user, database, application_name), if the client sent it. */
    public Optional<String> parameter(String name) {
        if (kind != Kind.STARTUP) {
            return Optional.empty();
        }
        int at = 8;
        while (at < packet.length && packet[at] != 0) {
            int keyEnd = indexOfZero(at);
            int valueEnd = indexOfZero(keyEnd + 1);
            if (keyEnd < 0 || valueEnd < 0) {
                return Optional.empty();
            }
            if (new String(packet, at, keyEnd - at, StandardCharsets.UTF_8).equals(name)) {
                return Optional.of(new String(packet, keyEnd + 1, valueEnd - keyEnd - 1, StandardCharsets.UTF_8));
            }
            at = valueEnd + 1;
        }
        return Optional.empty();
    }

    private int indexOfZero(int from) {
        for (int i = from; i < packet.length; i++) {
            if (packet[i] == 0) {
                return i;
            }
        }
        return -1;
    }

    /** What a client sends to cancel the query of the backend {@code processId}. */
    public record CancelKey(int processId, int secret) {
    }
}
