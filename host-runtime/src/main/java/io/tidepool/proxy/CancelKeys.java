package io.tidepool.proxy;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which backend each open connection's cancel key belongs to: a client's CancelRequest arrives on
 * a new connection with only the key, and goes to the backend that issued it. Keys are dropped
 * when their connection closes, so the map holds at most one per open connection.
 */
final class CancelKeys {
    private final Map<StartupMessage.CancelKey, EndpointState.Backend> backends = new ConcurrentHashMap<>();

    void issued(StartupMessage.CancelKey key, EndpointState.Backend backend) {
        backends.put(key, backend);
    }

    void closed(StartupMessage.CancelKey key) {
        backends.remove(key);
    }

    Optional<EndpointState.Backend> backendOf(StartupMessage.CancelKey key) {
        return Optional.ofNullable(backends.get(key));
    }
}
