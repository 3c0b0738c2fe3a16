package io.tidepool.buffer;

import io.tidepool.api.resource.HostShape;
import java.time.Instant;
import java.util.List;

/**
 * Where a cell's hosts come from: the edge a real cloud provider implements. Provisioning is
 * asynchronous, as it is with every cloud: a request is acknowledged (or refused at once when the
 * provider cannot be reached) and its outcome is collected later by polling. Time is passed in,
 * never read, so a simulation drives the provider with its own clock.
 */
public interface HostProvider {

    /** Asks for one host of {@code shape} for {@code cell}; the reply carries the request id to poll for. */
    ProviderReply request(String cell, HostShape shape, Instant now);

    /**
     * The outcomes that are known by {@code now} and were not reported before: each acknowledged
     * request is reported exactly once, as provisioned or as failed.
     */
    List<ProvisionOutcome> poll(Instant now);

    /**
     * Gives a host back. Idempotent: releasing a host the provider no longer holds succeeds.
     *
     * @return false when the provider cannot be reached; the host then stays in the cell and the
     *         release is tried again later
     */
    boolean release(String host, Instant now);
}
