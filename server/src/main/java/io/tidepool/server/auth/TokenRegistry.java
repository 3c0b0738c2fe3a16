package io.tidepool.server.auth;

import io.tidepool.store.KeyValue;
import io.tidepool.store.Store;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The tokens the API accepts, kept in the store as SHA-256 hashes under {@link #PREFIX} (never in
 * plain text), so that a token made on one node works on every node of the cluster.
 */
public final class TokenRegistry {
    public static final String PREFIX = "/tidepool/system/tokens/";
    // A wrong token makes the registry re-read the store at most this often, so bad clients cannot load it.
    private static final Duration REFRESH_AT_MOST_EVERY = Duration.ofSeconds(1);

    private final Store store;
    private final Clock clock;
    private final AtomicReference<Set<String>> acceptedHashes = new AtomicReference<>(Set.of());
    private volatile Instant lastRefresh = Instant.EPOCH;

    public TokenRegistry(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** Registers a token under a name (e.g. {@code admin-n1}); idempotent. */
    public void register(String name, String token) {
        byte[] hash = hash(token).getBytes(StandardCharsets.UTF_8);
        store.get(PREFIX + name)
                .filter(kv -> MessageDigest.isEqual(kv.value(), hash))
                .ifPresentOrElse(kv -> { }, () -> store.put(PREFIX + name, hash));
        refresh();
    }

    public boolean accepts(String token) {
        if (token == null || token.isEmpty()) {
            return false;
        }
        String hash = hash(token);
        if (acceptedHashes.get().contains(hash)) {
            return true;
        }
        Instant now = clock.instant();
        if (Duration.between(lastRefresh, now).compareTo(REFRESH_AT_MOST_EVERY) < 0) {
            return false;
        }
        refresh();
        return acceptedHashes.get().contains(hash);
    }

    private synchronized void refresh() {
        lastRefresh = clock.instant();
        acceptedHashes.set(store.range(PREFIX).items().stream()
                .map(KeyValue::value)
                .map(v -> new String(v, StandardCharsets.UTF_8))
                .collect(java.util.stream.Collectors.toUnmodifiableSet()));
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
