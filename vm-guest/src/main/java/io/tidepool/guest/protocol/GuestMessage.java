package io.tidepool.guest.protocol;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.tidepool.api.agent.ComputeMetrics;
import io.tidepool.api.agent.UpscaleRequest;
import io.tidepool.api.quantity.Cu;

/**
 * What a guest agent and its host agent say to each other: one JSON object per line, its kind in
 * {@code type}. The guest opens with {@link Hello}, naming its compute and the token the host gave
 * that compute; the host answers {@link Welcome} or {@link Rejected} and closes. A new version of
 * the protocol gets a new {@link #VERSION}; a host speaks every version it lists in its welcome.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = GuestMessage.Hello.class, name = "hello"),
        @JsonSubTypes.Type(value = GuestMessage.Metrics.class, name = "metrics"),
        @JsonSubTypes.Type(value = GuestMessage.Upscale.class, name = "upscale-request"),
        @JsonSubTypes.Type(value = GuestMessage.DownscaleResult.class, name = "downscale-result"),
        @JsonSubTypes.Type(value = GuestMessage.HealthReply.class, name = "health-reply"),
        @JsonSubTypes.Type(value = GuestMessage.Welcome.class, name = "welcome"),
        @JsonSubTypes.Type(value = GuestMessage.Rejected.class, name = "rejected"),
        @JsonSubTypes.Type(value = GuestMessage.UpscaleNotification.class, name = "upscale-notification"),
        @JsonSubTypes.Type(value = GuestMessage.DownscaleRequest.class, name = "downscale-request"),
        @JsonSubTypes.Type(value = GuestMessage.HealthCheck.class, name = "health-check")
})
public sealed interface GuestMessage {
    int VERSION = 1;

    /** Guest to host, first: who it is, proven by the compute's token. */
    record Hello(int version, String compute, String token) implements GuestMessage {
        /** Never log a token. */
        @Override
        public String toString() {
            return "Hello[version=" + version + ", compute=" + compute + "]";
        }
    }

    /** Guest to host, every second or so: what the compute uses. */
    record Metrics(ComputeMetrics sample) implements GuestMessage {
    }

    /** Guest to host, the moment memory runs short. */
    record Upscale(UpscaleRequest request) implements GuestMessage {
    }

    /** Guest to host: the answer to {@link DownscaleRequest} {@code id}; {@code reason} says why not. */
    record DownscaleResult(long id, boolean accepted, String reason) implements GuestMessage {
    }

    /** Guest to host: alive, answering {@link HealthCheck} {@code id}. */
    record HealthReply(long id) implements GuestMessage {
    }

    /** Host to guest: the hello was accepted; the version both speak from now on. */
    record Welcome(int version) implements GuestMessage {
    }

    /** Host to guest, before closing: why the hello was not accepted. */
    record Rejected(String reason) implements GuestMessage {
    }

    /** Host to guest: the memory limit was raised to {@code limitBytes}, as asked or not. */
    record UpscaleNotification(long limitBytes) implements GuestMessage {
    }

    /** Host to guest: may the compute shrink to {@code target}? Answer with {@link DownscaleResult}. */
    record DownscaleRequest(long id, Cu target) implements GuestMessage {
    }

    /** Host to guest: answer with {@link HealthReply} to show the guest is alive. */
    record HealthCheck(long id) implements GuestMessage {
    }
}
