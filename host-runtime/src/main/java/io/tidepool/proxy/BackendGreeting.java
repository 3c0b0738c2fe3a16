package io.tidepool.proxy;

import java.util.Optional;

/**
 * Reads the messages a backend sends after the startup, up to its first ReadyForQuery, for the one
 * the proxy needs: BackendKeyData, the key a client cancels its queries with. Fed the bytes as they
 * pass, in whatever pieces they arrive; it copies nothing but that key, and stops looking once the
 * connection is ready.
 */
final class BackendGreeting {
    private final byte[] header = new byte[5];
    private int headerRead;
    private long bodyLeft;
    private byte type;
    private final byte[] key = new byte[8];
    private int keyRead;
    private StartupMessage.CancelKey cancelKey;
    private boolean done;

    /** Whether the greeting is over (ReadyForQuery passed, or the stream made no sense). */
    boolean done() {
        return done;
    }

    Optional<StartupMessage.CancelKey> cancelKey() {
        return Optional.ofNullable(cancelKey);
    }

    void feed(byte[] bytes, int offset, int length) {
        int at = offset;
        int end = offset + length;
        while (at < end && !done) {
            if (headerRead < header.length) {
                header[headerRead++] = bytes[at++];
                if (headerRead == header.length) {
                    type = header[0];
                    long declared = ((header[1] & 0xffL) << 24) | ((header[2] & 0xff) << 16) | ((header[3] & 0xff) << 8)
                            | (header[4] & 0xff);
                    bodyLeft = declared - 4;
                    keyRead = 0;
                    if (bodyLeft < 0) {
                        done = true;
                    }
                    finishIfEmpty();
                }
                continue;
            }
            int take = (int) Math.min(bodyLeft, end - at);
            if (type == 'K') {
                for (int i = 0; i < take && keyRead < key.length; i++) {
                    key[keyRead++] = bytes[at + i];
                }
            }
            at += take;
            bodyLeft -= take;
            finishIfEmpty();
        }
    }

    private void finishIfEmpty() {
        if (headerRead < header.length || bodyLeft > 0) {
            return;
        }
        if (type == 'K' && keyRead == key.length) {
            cancelKey = new StartupMessage.CancelKey(intAt(0), intAt(4));
        }
        if (type == 'Z' || type == 'E') {
            done = true;
        }
        headerRead = 0;
    }

    private int intAt(int i) {
        return ((key[i] & 0xff) << 24) | ((key[i + 1] & 0xff) << 16) | ((key[i + 2] & 0xff) << 8) | (key[i + 3] & 0xff);
    }
}
