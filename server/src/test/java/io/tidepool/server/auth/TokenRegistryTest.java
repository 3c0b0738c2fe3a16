package io.tidepool.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidepool.store.KeyValue;
import io.tidepool.store.memory.InMemoryStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenRegistryTest {
    private final InMemoryStore store = new InMemoryStore();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));

    @Test
    void acceptsRegisteredTokensAndKeepsOnlyTheirHashes() {
        TokenRegistry tokens = new TokenRegistry(store, clock);
        tokens.register(TokenOwner.admin("n1"), "tp_secret");

        assertThat(tokens.accepts("tp_secret")).isTrue();
        assertThat(tokens.accepts("tp_other")).isFalse();
        assertThat(tokens.accepts("")).isFalse();
        KeyValue stored = store.range(TokenRegistry.PREFIX).items().get(0);
        assertThat(stored.key()).doesNotContain("tp_secret").hasSize(TokenRegistry.PREFIX.length() + 64);
        assertThat(new String(stored.value(), StandardCharsets.UTF_8)).isEqualTo("admin-n1");
    }

    @Test
    void acceptsATokenThatAnotherNodeRegisteredAMomentAgo() {
        TokenRegistry here = new TokenRegistry(store, clock);
        here.register(TokenOwner.admin("n1"), "tp_mine");
        new TokenRegistry(store, clock).register(TokenOwner.admin("n2"), "tp_theirs");

        assertThat(here.accepts("tp_theirs")).isTrue();
    }

    @Test
    void looksUpUnknownTokensOnlySoOftenASecond() {
        TokenRegistry tokens = new TokenRegistry(store, clock);
        for (int i = 0; i < TokenRegistry.LOOKUPS_PER_SECOND; i++) {
            assertThat(tokens.accepts("tp_guess" + i)).isFalse();
        }
        new TokenRegistry(store, clock).register(TokenOwner.admin("n2"), "tp_real");

        assertThat(tokens.accepts("tp_real")).as("lookup budget spent").isFalse();
        clock.now = clock.now.plusSeconds(1);
        assertThat(tokens.accepts("tp_real")).isTrue();
    }

    @Test
    void knowsWhoseATokenIsOnEveryNode() {
        TokenRegistry here = new TokenRegistry(store, clock);
        String agentToken = here.issue(TokenOwner.host("db-1"));
        here.register(TokenOwner.admin("n1"), "tp_admin");
        TokenRegistry there = new TokenRegistry(store, clock);

        TokenOwner agent = there.ownerOf(agentToken).orElseThrow();
        TokenOwner admin = there.ownerOf("tp_admin").orElseThrow();

        assertThat(agent.host()).contains("db-1");
        assertThat(agent.isAdmin()).isFalse();
        assertThat(admin.isAdmin()).isTrue();
        assertThat(admin.host()).isEmpty();
        assertThat(there.ownerOf("tp_unknown")).isEmpty();
    }

    @Test
    void issuesADifferentTokenEachTimeAndKeepsOnlyItsHash() {
        TokenRegistry tokens = new TokenRegistry(store, clock);

        String first = tokens.issue(TokenOwner.host("db-1"));
        String second = tokens.issue(TokenOwner.host("db-1"));

        assertThat(first).startsWith("tp_").isNotEqualTo(second);
        assertThat(store.range(TokenRegistry.PREFIX).items()).hasSize(2)
                .allSatisfy(kv -> assertThat(kv.key()).doesNotContain(first).doesNotContain(second));
    }

    @Test
    void aNodeThatLoadedEveryTokenTakesAFleetOfAgentsAtOnce() {
        TokenRegistry issuer = new TokenRegistry(store, clock);
        List<String> agents = new ArrayList<>();
        for (int i = 0; i < 3 * TokenRegistry.LOOKUPS_PER_SECOND; i++) {
            agents.add(issuer.issue(TokenOwner.host("db-" + i)));
        }
        TokenRegistry restarted = new TokenRegistry(store, clock);

        restarted.loadAll();

        for (int i = 0; i < agents.size(); i++) {
            assertThat(restarted.ownerOf(agents.get(i)).flatMap(TokenOwner::host)).contains("db-" + i);
        }
    }

    @Test
    void registeringTheSameTokenAgainWritesNothing() {
        TokenRegistry tokens = new TokenRegistry(store, clock);
        tokens.register(TokenOwner.admin("n1"), "tp_secret");
        long revision = store.currentRevision();

        tokens.register(TokenOwner.admin("n1"), "tp_secret");

        assertThat(store.currentRevision()).isEqualTo(revision);
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
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
