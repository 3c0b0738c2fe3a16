package io.tidepool.proxy;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;

/**
 * Relays a connection's startup message by message, on one thread, from the startup packet to
 * the backend's first ReadyForQuery: the backend's messages to the client, and a client message
 * to the backend only when an authentication request asks for one. Both sides therefore wait at
 * the end, with nothing on its way, which is when the kernel may take the connection over
 * ({@link KernelSplice}). On the way it keeps the BackendKeyData, the key the client cancels its
 * queries with. The ReadyForQuery itself is not sent: it goes to the client after the splice,
 * since the client may send as soon as it has it.
 */
final class StartupRelay {
    private static final int MAX_MESSAGE = 1 << 20;
    /** AuthenticationOk and AuthenticationSASLFinal: the client does not answer them. */
    private static final int AUTH_OK = 0;
    private static final int AUTH_SASL_FINAL = 12;

    /**
     * @param ready     the ReadyForQuery to send the client once the connection is taken over;
     *                  empty when the backend ended the startup otherwise (an error, which the
     *                  client has been sent)
     * @param cancelKey what the backend said cancels its queries
     */
    record Outcome(Optional<byte[]> ready, Optional<StartupMessage.CancelKey> cancelKey) {
    }

    private StartupRelay() {
    }

    static Outcome relay(InputStream fromBackend, OutputStream toClient, InputStream fromClient, OutputStream toBackend)
            throws IOException {
        StartupMessage.CancelKey cancelKey = null;
        while (true) {
            byte[] message = read(fromBackend, "the backend");
            byte type = message[0];
            if (type == 'Z') {
                toClient.flush();
                return new Outcome(Optional.of(message), Optional.ofNullable(cancelKey));
            }
            toClient.write(message);
            if (type == 'E') {
                toClient.flush();
                return new Outcome(Optional.empty(), Optional.ofNullable(cancelKey));
            }
            if (type == 'K' && message.length >= 13) {
                cancelKey = new StartupMessage.CancelKey(intAt(message, 5), intAt(message, 9));
            }
            if (type == 'R' && message.length >= 9) {
                int request = intAt(message, 5);
                if (request != AUTH_OK && request != AUTH_SASL_FINAL) {
                    toClient.flush();
                    toBackend.write(read(fromClient, "the client"));
                    toBackend.flush();
                }
            }
        }
    }

    /** One whole message: its type, its length and its body. */
    private static byte[] read(InputStream in, String side) throws IOException {
        byte[] header = in.readNBytes(5);
        if (header.length < 5) {
            throw new EOFException(side + " closed during the startup");
        }
        int length = intAt(header, 1);
        if (length < 4 || length > MAX_MESSAGE) {
            throw new IOException(side + " sent a startup message of length " + length);
        }
        byte[] message = new byte[1 + length];
        System.arraycopy(header, 0, message, 0, 5);
        if (in.readNBytes(message, 5, length - 4) < length - 4) {
            throw new EOFException(side + " closed in a startup message");
        }
        return message;
    }

    private static int intAt(byte[] bytes, int at) {
        return ((bytes[at] & 0xff) << 24) | ((bytes[at + 1] & 0xff) << 16) | ((bytes[at + 2] & 0xff) << 8)
                | (bytes[at + 3] & 0xff);
    }
}
