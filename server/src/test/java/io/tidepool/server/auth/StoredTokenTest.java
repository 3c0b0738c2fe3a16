package io.tidepool.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class StoredTokenTest {

    @Test
    void readsWhatOlderNodesStoredAsATokenThatNeverExpires() {
        StoredToken old = StoredToken.decode("host:db-1".getBytes(StandardCharsets.UTF_8));

        assertThat(old).isEqualTo(StoredToken.lasting(TokenOwner.host("db-1")));
        assertThat(old.expiredAt(Instant.MAX)).isFalse();
        assertThat(new String(old.encode(), StandardCharsets.UTF_8)).isEqualTo("host:db-1");
    }

    @Test
    void expiresAtItsExpiryNotAfter() {
        StoredToken code = new StoredToken(TokenOwner.CONSOLE_LOGIN, Instant.parse("2026-01-01T00:10:00Z"), null);

        assertThat(code.expiredAt(Instant.parse("2026-01-01T00:09:59Z"))).isFalse();
        assertThat(code.expiredAt(Instant.parse("2026-01-01T00:10:00Z"))).isTrue();
    }

    @Test
    void refusesAValueNoNodeWrote() {
        assertThatThrownBy(() -> StoredToken.decode("console-login\ncolour=blue".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("unknown field in a stored token");
        assertThatThrownBy(() -> StoredToken.decode("console-login\nexpires=soon".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("unreadable time");
    }

    @Property(tries = 200)
    void readsBackWhatItWrites(@ForAll("owners") String owner, @ForAll("times") Instant expires, @ForAll("times") Instant used,
                               @ForAll boolean expiring, @ForAll boolean wasUsed) {
        StoredToken token = new StoredToken(new TokenOwner(owner), expiring ? expires : null, wasUsed ? used : null);

        assertThat(StoredToken.decode(token.encode())).isEqualTo(token);
    }

    @Provide
    Arbitrary<String> owners() {
        return Arbitraries.of("admin-n1", "host:db-1", "console-login", "console-session");
    }

    @Provide
    Arbitrary<Instant> times() {
        return Arbitraries.longs().between(0, 4_000_000_000_000L).map(Instant::ofEpochMilli);
    }
}
