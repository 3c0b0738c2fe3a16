package io.tidepool.buffer;

/** The provider's immediate answer to a request for a host. */
public sealed interface ProviderReply {

    /** The request was taken: its outcome comes later through {@link HostProvider#poll}. */
    record Accepted(String requestId) implements ProviderReply {
    }

    /** The provider could not be reached or would not take the request; nothing is in flight. */
    record Refused(String reason) implements ProviderReply {
    }
}
