package io.tidepool.server.auth;

import io.tidepool.store.KeyValue;
import io.tidepool.store.Store;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The tokens the API accepts, kept in the store under {@link #PREFIX} by their SHA-256 hash (never
 * in plain text) with their {@link TokenOwner}, so that a token made on one node works on every
 * node of the cluster. A token this node has not seen yet costs one linearizable read; a budget on
 * such reads keeps a client that guesses tokens from loading the store.
 */
public final class TokenRegistry {
    public static final String PREFIX = "/tidepool/system/tokens/";
    static final int LOOKUPS_PER_SECOND = 20;
    private static final int TOKEN_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Store store;
    private final Clock clock;
    private final Map<String, TokenOwner> knownHashes = new ConcurrentHashMap<>();
    private Instant budgetSecond = Instant.EPOCH;
    private int lookupsThisSecond;

    public TokenRegistry(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** A new random token, in the form every Tidepool token has ({@code tp_...}). */
    public static String newToken() {
        byte[] random = new byte[TOKEN_BYTES];
        RANDOM.nextBytes(random);
        return "tp_" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    /** Registers a token, naming its owner in the stored value; idempotent. */
    public void register(TokenOwner owner, String token) {
        String hash = hash(token);
        if (store.get(PREFIX + hash).isEmpty()) {
            store.put(PREFIX + hash, owner.name().getBytes(StandardCharsets.UTF_8));
        }
        knownHashes.put(hash, owner);
    }

    /**
     * Learns every stored token at once, so that a node starting under a fleet of host agents takes
     * them all at once: one by one, its lookup budget would turn most away for minutes, and agents
     * that cannot get through stop their computes.
     */
    public void loadAll() {
        for (KeyValue stored : store.range(PREFIX).items()) {
            knownHashes.put(stored.key().substring(PREFIX.length()),
                    new TokenOwner(new String(stored.value(), StandardCharsets.UTF_8)));
        }
    }

    /** Makes and registers a new token for {@code owner}; the plain token exists only in what this returns. */
    public String issue(TokenOwner owner) {
        String token = newToken();
        register(owner, token);
        return token;
    }

    public boolean accepts(String token) {
        return ownerOf(token).isPresent();
    }

    /** Whose the token is; empty when no such token was registered (or the lookup budget is spent). */
    public Optional<TokenOwner> ownerOf(String token) {
        if (token == null || token.isEmpty()) {
            return Optional.empty();
        }
        String hash = hash(token);
        TokenOwner known = knownHashes.get(hash);
        if (known != null) {
            return Optional.of(known);
        }
        if (!takeLookup()) {
            return Optional.empty();
        }
        Optional<KeyValue> stored = store.get(PREFIX + hash);
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        TokenOwner owner = new TokenOwner(new String(stored.get().value(), StandardCharsets.UTF_8));
        knownHashes.put(hash, owner);
        return Optional.of(owner);
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
