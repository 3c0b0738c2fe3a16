package io.tidepool.endpoint;

import java.util.Optional;

/**
 * Where clients connect to an endpoint, when that is not its primary compute's own address: the
 * endpoint proxy gives each endpoint a stable address that survives moves, restarts and suspends,
 * and that address is the endpoint's {@code status.address}. Without a proxy, an endpoint's address
 * is its primary's, and changes with it.
 */
@FunctionalInterface
public interface ClientAddresses {
    /** No proxy: every endpoint is reached at its primary's address. */
    ClientAddresses NONE = endpoint -> Optional.empty();

    /** The endpoint's stable address, if one serves it. */
    Optional<String> of(String endpoint);

    /** The endpoint's address given its primary's own (null while it has none). */
    default String address(String endpoint, String primaryAddress) {
        return of(endpoint).orElse(primaryAddress);
    }
}
