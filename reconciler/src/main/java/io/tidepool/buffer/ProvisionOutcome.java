package io.tidepool.buffer;

import io.tidepool.api.resource.HostShape;
import java.time.Instant;

/** How one acknowledged request for a host ended. */
public sealed interface ProvisionOutcome {

    String requestId();

    String cell();

    /** When the provider finished the request (not when the outcome was polled). */
    Instant at();

    /** The provider made a host: it joins the cell under {@code host}. */
    record Provisioned(String requestId, String cell, Instant at, String host, HostShape shape) implements ProvisionOutcome {
    }

    /** The provider gave up on the request; nothing was made. */
    record Failed(String requestId, String cell, Instant at, String reason) implements ProvisionOutcome {
    }
}
