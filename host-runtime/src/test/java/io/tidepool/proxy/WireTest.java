package io.tidepool.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The bits of the Postgres wire protocol the proxy reads and writes. */
class WireTest {

    @Test
    void readsAStartupMessageAndItsParameters() {
        StartupMessage message = StartupMessage.parse(startup("user", "postgres", "database", "shop")).orElseThrow();
        assertThat(message.kind()).isEqualTo(StartupMessage.Kind.STARTUP);
        assertThat(message.parameter("database")).contains("shop");
        assertThat(message.parameter("application_name")).isEmpty();
    }

    @Test
    void tellsEncryptionRequestsAndCancelRequestsApart() {
        assertThat(StartupMessage.parse(ByteBuffer.allocate(8).putInt(8).putInt(StartupMessage.SSL_REQUEST).array())
                .map(StartupMessage::kind)).contains(StartupMessage.Kind.SSL_REQUEST);
        assertThat(StartupMessage.parse(ByteBuffer.allocate(8).putInt(8).putInt(StartupMessage.GSSENC_REQUEST).array())
                .map(StartupMessage::kind)).contains(StartupMessage.Kind.GSSENC_REQUEST);
        StartupMessage cancel = StartupMessage.parse(ClientConnection.cancelPacket(new StartupMessage.CancelKey(42, -7)))
                .orElseThrow();
        assertThat(cancel.cancelKey()).isEqualTo(new StartupMessage.CancelKey(42, -7));
    }

    @Test
    void refusesWhatNoPostgresClientSends() {
        assertThat(StartupMessage.parse(ByteBuffer.allocate(8).putInt(8).putInt(2 << 16).array())).isEmpty();
        assertThat(StartupMessage.parse(ByteBuffer.allocate(8).putInt(9).putInt(StartupMessage.PROTOCOL_3).array())).isEmpty();
        assertThat(StartupMessage.parse(new byte[4])).isEmpty();
    }

    @Test
    void encodesAnErrorResponsePsqlPrints() {
        byte[] bytes = new ErrorResponse("57P03", "endpoint shop did not resume").encode();
        assertThat(bytes[0]).isEqualTo((byte) 'E');
        assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(bytes.length - 1);
        String fields = new String(bytes, 5, bytes.length - 5, StandardCharsets.UTF_8);
        assertThat(fields).isEqualTo("SFATAL\0VFATAL\0C57P03\0Mendpoint shop did not resume\0\0");
    }

    @Test
    void findsTheAddressOfAPostgresUriOnly() {
        assertThat(EndpointState.backend("postgresql://postgres@127.0.0.1:55431/postgres"))
                .contains(new EndpointState.Backend("127.0.0.1", 55431));
        assertThat(EndpointState.backend("sim://local-host-1/shop-0")).isEmpty();
        assertThat(EndpointState.backend(null)).isEmpty();
    }

    static byte[] startup(String... parameters) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (String parameter : parameters) {
            body.writeBytes(parameter.getBytes(StandardCharsets.UTF_8));
            body.write(0);
        }
        body.write(0);
        byte[] rest = body.toByteArray();
        return ByteBuffer.allocate(8 + rest.length).putInt(8 + rest.length).putInt(StartupMessage.PROTOCOL_3).put(rest).array();
    }
}
