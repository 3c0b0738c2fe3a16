package io.tidepool.proxy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A Postgres ErrorResponse message, what the proxy answers a client it will not route: psql prints
 * its message as it would a server's ({@code FATAL:  endpoint shop did not resume within 30 s}).
 *
 * @param sqlState the five-character SQLSTATE, e.g. {@code 57P03} (cannot connect now)
 */
public record ErrorResponse(String sqlState, String message) {
    /** The server cannot take connections now (starting, resuming, switching over). */
    public static final String CANNOT_CONNECT_NOW = "57P03";
    /** The connection could not be made (no such endpoint, no backend). */
    public static final String CONNECTION_FAILURE = "08006";
    /** The request is of a kind the proxy does not do. */
    public static final String FEATURE_NOT_SUPPORTED = "0A000";
    /** The client spoke no protocol the proxy knows. */
    public static final String PROTOCOL_VIOLATION = "08P01";
    /** Too many clients already. */
    public static final String TOO_MANY_CONNECTIONS = "53300";

    public ErrorResponse {
        if (sqlState == null || sqlState.length() != 5) {
            throw new IllegalArgumentException("a SQLSTATE has five characters, got " + sqlState);
        }
    }

    /** The message's bytes: type 'E', length, then severity, code and text fields, each NUL-ended. */
    public byte[] encode() {
        ByteArrayOutputStream fields = new ByteArrayOutputStream();
        field(fields, 'S', "FATAL");
        field(fields, 'V', "FATAL");
        field(fields, 'C', sqlState);
        field(fields, 'M', message);
        fields.write(0);
        byte[] body = fields.toByteArray();
        byte[] out = new byte[body.length + 5];
        out[0] = 'E';
        int length = body.length + 4;
        out[1] = (byte) (length >>> 24);
        out[2] = (byte) (length >>> 16);
        out[3] = (byte) (length >>> 8);
        out[4] = (byte) length;
        System.arraycopy(body, 0, out, 5, body.length);
        return out;
    }

    private static void field(ByteArrayOutputStream out, char type, String value) {
        out.write(type);
        // A NUL inside the text would end the field early: drop it.
        byte[] bytes = value.replace('\0', ' ').getBytes(StandardCharsets.UTF_8);
        out.write(bytes, 0, bytes.length);
        out.write(0);
    }
}
