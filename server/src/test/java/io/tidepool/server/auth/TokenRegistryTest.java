package io.tidepool.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidepool.store.memory.InMemoryStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class TokenRegistryTest {
    private final InMemoryStore store = new InMemoryStore();

    @Test
    void acceptsRegisteredTokensAndKeepsOnlyTheirHashes() {
        TokenRegistry tokens = new TokenRegistry(store, Clock.systemUTC());
        tokens.register("admin-n1", "tp_secret");

        assertThat(tokens.accepts("tp_secret")).isTrue();
        assertThat(tokens.accepts("tp_other")).isFalse();
        assertThat(tokens.accepts("")).isFalse();
        assertThat(new String(store.get(TokenRegistry.PREFIX + "admin-n1").orElseThrow().value(), StandardCharsets.UTF_8))
                .doesNotContain("tp_secret").hasSize(64);
    }

    @Test
    void learnsATokenThatAnotherNodeRegisteredButRereadsTheStoreAtMostOnceASecond() {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
        TokenRegistry here = new TokenRegistry(store, clock);
        here.register("admin-n1", "tp_mine");
        new TokenRegistry(store, Clock.systemUTC()).register("admin-n2", "tp_theirs");

        assertThat(here.accepts("tp_theirs")).isFalse();
        clock.now = clock.now.plusSeconds(1);
        assertThat(here.accepts("tp_theirs")).isTrue();
    }

    private static final class MutableClock extends Clock {
        Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void registeringTheSameTokenAgainWritesNothing() {
        TokenRegistry tokens = new TokenRegistry(store, Clock.systemUTC());
        tokens.register("admin-n1", "tp_secret");
        long revision = store.currentRevision();

        tokens.register("admin-n1", "tp_secret");

        assertThat(store.currentRevision()).isEqualTo(revision);
    }
}
