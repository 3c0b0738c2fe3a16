package io.tidepool.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class StartupRelayTest {
    private final ByteArrayOutputStream toClient = new ByteArrayOutputStream();
    private final ByteArrayOutputStream toBackend = new ByteArrayOutputStream();

    @Test
    void withoutAuthenticationTheClientGetsEverythingButTheReadyForQueryAndSendsNothing() throws IOException {
        byte[] backend = concat(auth(0), message('S', "server_version\0" + "15.8\0"), key(4711, 42), ready());

        StartupRelay.Outcome outcome = relay(backend, new byte[0]);

        assertThat(outcome.ready()).hasValueSatisfying(z -> assertThat(z).isEqualTo(ready()));
        assertThat(outcome.cancelKey()).contains(new StartupMessage.CancelKey(4711, 42));
        assertThat(toClient.toByteArray()).isEqualTo(concat(auth(0), message('S', "server_version\0" + "15.8\0"), key(4711, 42)));
        assertThat(toBackend.toByteArray()).isEmpty();
    }

    @Test
    void eachAuthenticationRequestTakesOneClientMessageAndTheSaslFinalNone() throws IOException {
        byte[] first = message('p', "SCRAM-SHA-256\0client-first");
        byte[] last = message('p', "client-final");
        byte[] backend = concat(auth(10), auth(11), auth(12), auth(0), key(1, 2), ready());

        StartupRelay.Outcome outcome = relay(backend, concat(first, last, message('Q', "never read")));

        assertThat(outcome.ready()).isPresent();
        assertThat(toBackend.toByteArray()).as("the query after the startup stays unread").isEqualTo(concat(first, last));
        assertThat(toClient.toByteArray()).isEqualTo(concat(auth(10), auth(11), auth(12), auth(0), key(1, 2)));
    }

    @Test
    void anErrorEndsTheStartupWithTheClientToldWhy() throws IOException {
        byte[] error = message('E', "SFATAL\0C28P01\0Mpassword authentication failed\0\0");
        byte[] backend = concat(auth(5), error);

        StartupRelay.Outcome outcome = relay(backend, message('p', "md5secret\0"));

        assertThat(outcome.ready()).isEmpty();
        assertThat(toClient.toByteArray()).isEqualTo(concat(auth(5), error));
    }

    @Test
    void aBackendThatClosesInTheStartupIsAnError() {
        assertThatThrownBy(() -> relay(concat(auth(0), new byte[] {'S', 0, 0}), new byte[0]))
                .isInstanceOf(EOFException.class).hasMessageContaining("the backend closed");
    }

    @Property
    void findsTheCancelKeyAndStopsAtReadyForQueryHoweverTheBackendsBytesArrive(
            @ForAll @IntRange(min = 1, max = 40) int pieceBytes, @ForAll @IntRange(min = 0, max = 20) int parameters,
            @ForAll int processId, @ForAll int secret) throws IOException {
        ByteArrayOutputStream greeting = new ByteArrayOutputStream();
        greeting.writeBytes(auth(0));
        for (int i = 0; i < parameters; i++) {
            greeting.writeBytes(message('S', "setting_" + i + "\0value\0"));
        }
        greeting.writeBytes(key(processId, secret));
        byte[] beforeReady = greeting.toByteArray();
        greeting.writeBytes(ready());
        greeting.writeBytes(message('T', "the first query's answer"));
        ByteArrayOutputStream client = new ByteArrayOutputStream();

        StartupRelay.Outcome outcome = StartupRelay.relay(new PiecesInputStream(greeting.toByteArray(), pieceBytes), client,
                new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream());

        assertThat(outcome.cancelKey()).contains(new StartupMessage.CancelKey(processId, secret));
        assertThat(outcome.ready()).hasValueSatisfying(z -> assertThat(z).isEqualTo(ready()));
        assertThat(client.toByteArray()).isEqualTo(beforeReady);
    }

    /** A stream that hands out at most {@code piece} bytes a read, as a socket may. */
    private static final class PiecesInputStream extends InputStream {
        private final ByteArrayInputStream bytes;
        private final int piece;

        PiecesInputStream(byte[] bytes, int piece) {
            this.bytes = new ByteArrayInputStream(bytes);
            this.piece = piece;
        }

        @Override
        public int read() {
            return bytes.read();
        }

        @Override
        public int read(byte[] into, int offset, int length) {
            return bytes.read(into, offset, Math.min(length, piece));
        }
    }

    private StartupRelay.Outcome relay(byte[] fromBackend, byte[] fromClient) throws IOException {
        return StartupRelay.relay(new ByteArrayInputStream(fromBackend), toClient, new ByteArrayInputStream(fromClient),
                toBackend);
    }

    private static byte[] auth(int request) {
        return ByteBuffer.allocate(9).put((byte) 'R').putInt(8).putInt(request).array();
    }

    private static byte[] key(int process, int secret) {
        return ByteBuffer.allocate(13).put((byte) 'K').putInt(12).putInt(process).putInt(secret).array();
    }

    private static byte[] ready() {
        return new byte[] {'Z', 0, 0, 0, 5, 'I'};
    }

    private static byte[] message(char type, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(5 + bytes.length).put((byte) type).putInt(4 + bytes.length).put(bytes).array();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            all.writeBytes(part);
        }
        return all.toByteArray();
    }
}
