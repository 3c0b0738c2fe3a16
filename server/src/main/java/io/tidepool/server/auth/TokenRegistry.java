package io.tidepool.server.auth;

import io.tidepool.store.Compare;
import io.tidepool.store.KeyValue;
import io.tidepool.store.Op;
import io.tidepool.store.Store;
import io.tidepool.store.Txn;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The tokens the API accepts, kept in the store under {@link #PREFIX} by their SHA-256 hash (never
 * in plain text) with their {@link StoredToken owner and lifetime}, so that a token made on one node
 * works on every node of the cluster, and after a restart. A token this node has not seen yet costs
 * one linearizable read; a budget on such reads keeps a client that guesses tokens from loading the
 * store. Console login codes and sessions are tokens too, with an expiry: a code is exchanged once
 * for a session ({@link #exchange}), and is never accepted as a credential itself.
 */
public final class TokenRegistry {
    public static final String PREFIX = "/tidepool/system/tokens/";
    static final int LOOKUPS_PER_SECOND = 20;
    /** A token that expires is read again this long after this node learnt it, so that a logout reaches every node. */
    static final Duration RECHECK_AFTER = Duration.ofMinutes(1);
    static final Duration SWEEP_EVERY = Duration.ofHours(1);
    private static final int TOKEN_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Store store;
    private final Clock clock;
    private final Map<String, Known> knownHashes = new ConcurrentHashMap<>();
    private Instant budgetSecond = Instant.EPOCH;
    private int lookupsThisSecond;
    private volatile Instant lastSweep = Instant.EPOCH;

    public TokenRegistry(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    private record Known(StoredToken token, Instant learntAt) {
    }

    /** A new random token, in the form every Tidepool token has ({@code tp_...}). */
    public static String newToken() {
        byte[] random = new byte[TOKEN_BYTES];
        RANDOM.nextBytes(random);
        return "tp_" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    /** Registers a token that lasts, naming its owner in the stored value; idempotent. */
    public void register(TokenOwner owner, String token) {
        String hash = hash(token);
        if (store.get(PREFIX + hash).isEmpty()) {
            store.put(PREFIX + hash, StoredToken.lasting(owner).encode());
        }
        knownHashes.put(hash, new Known(StoredToken.lasting(owner), clock.instant()));
    }

    /**
     * Learns every stored token at once, so that a node starting under a fleet of host agents takes
     * them all at once: one by one, its lookup budget would turn most away for minutes, and agents
     * that cannot get through stop their computes.
     */
    public void loadAll() {
        Instant now = clock.instant();
        for (KeyValue stored : store.range(PREFIX).items()) {
            knownHashes.put(stored.key().substring(PREFIX.length()), new Known(StoredToken.decode(stored.value()), now));
        }
    }

    /** Makes and registers a new token for {@code owner}; the plain token exists only in what this returns. */
    public String issue(TokenOwner owner) {
        String token = newToken();
        register(owner, token);
        return token;
    }

    /** As {@link #issue(TokenOwner)}, for a token that stops working after {@code lifetime}. */
    public String issue(TokenOwner owner, Duration lifetime) {
        sweepExpiredNowAndThen();
        String token = newToken();
        StoredToken stored = new StoredToken(owner, clock.instant().plus(lifetime), null);
        store.put(PREFIX + hash(token), stored.encode());
        knownHashes.put(hash(token), new Known(stored, clock.instant()));
        return token;
    }

    public boolean accepts(String token) {
        return ownerOf(token).isPresent();
    }

    /**
     * Whose the token is; empty when no such token was registered, it expired, it is a login code
     * (only {@link #exchange} takes those), or the lookup budget is spent.
     */
    public Optional<TokenOwner> ownerOf(String token) {
        if (token == null || token.isEmpty()) {
            return Optional.empty();
        }
        String hash = hash(token);
        Instant now = clock.instant();
        Known known = knownHashes.get(hash);
        boolean recheck = known != null && known.token().expiresAt() != null
                && !now.isBefore(known.learntAt().plus(RECHECK_AFTER));
        if (known == null || recheck) {
            if (known == null && !takeLookup()) {
                return Optional.empty();
            }
            Optional<KeyValue> stored = store.get(PREFIX + hash);
            if (stored.isEmpty()) {
                knownHashes.remove(hash);
                return Optional.empty();
            }
            known = new Known(StoredToken.decode(stored.get().value()), now);
            knownHashes.put(hash, known);
        }
        StoredToken stored = known.token();
        if (stored.expiredAt(now) || stored.usedAt() != null || stored.owner().equals(TokenOwner.CONSOLE_LOGIN)) {
            return Optional.empty();
        }
        return Optional.of(stored.owner());
    }

    /** What became of a console login code handed in: a session, or why not. */
    public record Exchange(Outcome outcome, Instant at, String session) {
        public enum Outcome { exchanged, alreadyUsed, expired, unknown }
    }

    /**
     * Exchanges a console login code for a session of {@code sessionLifetime}, in one transaction
     * that marks the code used: a code works once, whichever node it reaches, however many at once.
     * {@link Exchange#at} is when the code was used or expired, where that is the answer.
     */
    public Exchange exchange(String code, Duration sessionLifetime) {
        if (code == null || code.isEmpty() || !takeLookup()) {
            return new Exchange(Exchange.Outcome.unknown, null, null);
        }
        String key = PREFIX + hash(code);
        Optional<KeyValue> stored = store.get(key);
        StoredToken token = stored.map(kv -> StoredToken.decode(kv.value())).orElse(null);
        if (token == null || !token.owner().equals(TokenOwner.CONSOLE_LOGIN)) {
            return new Exchange(Exchange.Outcome.unknown, null, null);
        }
        if (token.usedAt() != null) {
            return new Exchange(Exchange.Outcome.alreadyUsed, token.usedAt(), null);
        }
        Instant now = clock.instant();
        if (token.expiredAt(now)) {
            return new Exchange(Exchange.Outcome.expired, token.expiresAt(), null);
        }
        String session = newToken();
        StoredToken sessionToken = new StoredToken(TokenOwner.CONSOLE_SESSION, now.plus(sessionLifetime), null);
        boolean won = store.txn(Txn.of(List.of(Compare.modRevisionIs(key, stored.get().modRevision())), List.of(
                new Op.Put(key, token.usedAt(now).encode()),
                new Op.Put(PREFIX + hash(session), sessionToken.encode())))).succeeded();
        if (!won) {
            // Another exchange of the same code (on this node or another) got there first.
            return store.get(key).map(kv -> StoredToken.decode(kv.value()))
                    .map(t -> new Exchange(Exchange.Outcome.alreadyUsed, t.usedAt(), null))
                    .orElse(new Exchange(Exchange.Outcome.unknown, null, null));
        }
        knownHashes.put(hash(session), new Known(sessionToken, now));
        return new Exchange(Exchange.Outcome.exchanged, now, session);
    }

    /** Removes a token (a console session at logout); other nodes stop accepting it within {@link #RECHECK_AFTER}. */
    public void revoke(String token) {
        if (token == null || token.isEmpty()) {
            return;
        }
        String hash = hash(token);
        knownHashes.remove(hash);
        store.delete(PREFIX + hash);
    }

    /** Removes every token past its expiry from the store; returns how many. */
    public int sweepExpired() {
        Instant now = clock.instant();
        List<Op> deletes = new ArrayList<>();
        for (KeyValue stored : store.range(PREFIX).items()) {
            if (StoredToken.decode(stored.value()).expiredAt(now)) {
                deletes.add(new Op.Delete(stored.key()));
                knownHashes.remove(stored.key().substring(PREFIX.length()));
            }
        }
        if (!deletes.isEmpty()) {
            store.txn(Txn.of(List.of(), deletes));
        }
        lastSweep = now;
        return deletes.size();
    }

    private void sweepExpiredNowAndThen() {
        if (!clock.instant().isBefore(lastSweep.plus(SWEEP_EVERY))) {
            sweepExpired();
        }
    }

    private synchronized boolean takeLookup() {
        Instant now = clock.instant();
        if (Duration.between(budgetSecond, now).compareTo(Duration.ofSeconds(1)) >= 0) {
            budgetSecond = now;
            lookupsThisSecond = 0;
        }
        return lookupsThisSecond++ < LOOKUPS_PER_SECOND;
    }

    static String hash(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
