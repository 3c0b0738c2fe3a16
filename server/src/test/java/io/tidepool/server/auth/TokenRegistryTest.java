package io.tidepool.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidepool.store.KeyValue;
import io.tidepool.store.memory.InMemoryStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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

    @Test
    void aConsoleLoginCodeIsExchangedOnceForASessionAndIsNeverACredentialItself() {
        TokenRegistry tokens = new TokenRegistry(store, clock);
        String code = tokens.issue(TokenOwner.CONSOLE_LOGIN, Duration.ofMinutes(10));

        assertThat(tokens.ownerOf(code)).as("a code is no bearer token").isEmpty();
        TokenRegistry.Exchange first = tokens.exchange(code, Duration.ofHours(12));
        assertThat(first.outcome()).isEqualTo(TokenRegistry.Exchange.Outcome.exchanged);
        assertThat(tokens.ownerOf(first.session())).contains(TokenOwner.CONSOLE_SESSION);

        clock.now = clock.now.plusSeconds(5);
        TokenRegistry.Exchange again = new TokenRegistry(store, clock).exchange(code, Duration.ofHours(12));
        assertThat(again.outcome()).isEqualTo(TokenRegistry.Exchange.Outcome.alreadyUsed);
        assertThat(again.at()).isEqualTo(first.at());
        assertThat(again.session()).isNull();
    }

    @Test
    void aCodeExchangedFromManyThreadsAtOnceGivesOneSession() throws Exception {
        String code = new TokenRegistry(store, clock).issue(TokenOwner.CONSOLE_LOGIN, Duration.ofMinutes(10));
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Future<TokenRegistry.Exchange>> tries = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                TokenRegistry node = new TokenRegistry(store, clock);
                tries.add(threads.submit(() -> node.exchange(code, Duration.ofHours(1))));
            }
            List<TokenRegistry.Exchange.Outcome> outcomes = new ArrayList<>();
            for (Future<TokenRegistry.Exchange> exchange : tries) {
                outcomes.add(exchange.get().outcome());
            }
            assertThat(outcomes).containsOnlyOnce(TokenRegistry.Exchange.Outcome.exchanged)
                    .containsOnly(TokenRegistry.Exchange.Outcome.exchanged, TokenRegistry.Exchange.Outcome.alreadyUsed);
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void aCodeAndASessionStopWorkingAtTheirExpiry() {
        TokenRegistry tokens = new TokenRegistry(store, clock);
        String stale = tokens.issue(TokenOwner.CONSOLE_LOGIN, Duration.ofMinutes(10));
        String fresh = tokens.issue(TokenOwner.CONSOLE_LOGIN, Duration.ofMinutes(10));
        String session = tokens.exchange(fresh, Duration.ofHours(12)).session();

        clock.now = clock.now.plus(Duration.ofMinutes(10));
        TokenRegistry.Exchange late = tokens.exchange(stale, Duration.ofHours(12));
        assertThat(late.outcome()).isEqualTo(TokenRegistry.Exchange.Outcome.expired);
        assertThat(late.at()).isEqualTo(Instant.parse("2026-11-23T10:10:00Z"));
        assertThat(tokens.ownerOf(session)).isPresent();

        clock.now = clock.now.plus(Duration.ofHours(12));
        assertThat(tokens.ownerOf(session)).isEmpty();
    }

    @Test
    void onlyLoginCodesAreExchanged() {
        TokenRegistry tokens = new TokenRegistry(store, clock);
        String agent = tokens.issue(TokenOwner.host("db-1"));
        String session = tokens.exchange(tokens.issue(TokenOwner.CONSOLE_LOGIN, Duration.ofMinutes(1)), Duration.ofHours(1)).session();

        assertThat(tokens.exchange(agent, Duration.ofHours(1)).outcome()).isEqualTo(TokenRegistry.Exchange.Outcome.unknown);
        assertThat(tokens.exchange(session, Duration.ofHours(1)).outcome()).isEqualTo(TokenRegistry.Exchange.Outcome.unknown);
        assertThat(tokens.exchange("tp_made-up", Duration.ofHours(1)).outcome()).isEqualTo(TokenRegistry.Exchange.Outcome.unknown);
        assertThat(tokens.exchange(null, Duration.ofHours(1)).outcome()).isEqualTo(TokenRegistry.Exchange.Outcome.unknown);
    }

    @Test
    void aSessionWorksOnEveryNodeAfterARestartUntilItIsRevokedWhichOtherNodesLearnWithinAMinute() {
        TokenRegistry here = new TokenRegistry(store, clock);
        String session = here.exchange(here.issue(TokenOwner.CONSOLE_LOGIN, Duration.ofMinutes(10)), Duration.ofHours(12)).session();
        TokenRegistry restarted = new TokenRegistry(store, clock);
        restarted.loadAll();
        assertThat(restarted.ownerOf(session)).contains(TokenOwner.CONSOLE_SESSION);

        here.revoke(session);

        assertThat(here.ownerOf(session)).isEmpty();
        assertThat(restarted.ownerOf(session)).as("until it looks again").isPresent();
        clock.now = clock.now.plus(TokenRegistry.RECHECK_AFTER);
        assertThat(restarted.ownerOf(session)).isEmpty();
    }

    @Test
    void sweepingRemovesOnlyTokensPastTheirExpiry() {
        TokenRegistry tokens = new TokenRegistry(store, clock);
        tokens.register(TokenOwner.admin("n1"), "tp_admin");
        tokens.issue(TokenOwner.CONSOLE_LOGIN, Duration.ofMinutes(10));
        String session = tokens.issue(TokenOwner.CONSOLE_SESSION, Duration.ofHours(12));

        clock.now = clock.now.plus(Duration.ofHours(1));
        assertThat(tokens.sweepExpired()).isEqualTo(1);

        assertThat(store.range(TokenRegistry.PREFIX).items()).hasSize(2);
        assertThat(tokens.accepts("tp_admin")).isTrue();
        assertThat(tokens.accepts(session)).isTrue();
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
