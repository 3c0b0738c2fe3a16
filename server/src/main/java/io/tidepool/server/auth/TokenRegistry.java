package io.tidepool.server.auth;

import io.tidepool.store.Store;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The tokens the API accepts, kept in the store under {@link #PREFIX} by their SHA-256 hash (never
 * in plain text), so that a token made on one node works on every node of the cluster. A token this
 * node has not seen yet costs one linearizable read; a budget on such reads keeps a client that
 * guesses tokens from loading the store.
 */
public final class TokenRegistry {
    public static final String PREFIX = "/tidepool/system/tokens/";
    static final int LOOKUPS_PER_SECOND = 20;

    private final Store store;
    private final Clock clock;
    private final Set<String> knownHashes = ConcurrentHashMap.newKeySet();
    private Instant budgetSecond = Instant.EPOCH;
    private int lookupsThisSecond;

    public TokenRegistry(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** Registers a token, naming its owner (e.g. {@code admin-n1}) in the stored value; idempotent. */
    public void register(String owner, String token) {
        String hash = hash(token);
        if (store.get(PREFIX + hash).isEmpty()) {
            store.put(PREFIX + hash, owner.getBytes(StandardCharsets.UTF_8));
        }
        knownHashes.add(hash);
    }

    public boolean accepts(String token) {
        if (token == null || token.isEmpty()) {
            return false;
        }
        String hash = hash(token);
        if (knownHashes.contains(hash)) {
            return true;
        }
        if (!takeLookup() || store.get(PREFIX + hash).isEmpty()) {
            return false;
        }
        knownHashes.add(hash);
        return true;
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
