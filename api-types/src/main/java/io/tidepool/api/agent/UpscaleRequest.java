package io.tidepool.api.agent;

import java.time.Instant;

/**
 * A guest agent's call for memory, sent the moment what its compute cannot give back nears the
 * limit. The host agent passes it on at once, and the autoscaler answers it ahead of the next
 * metrics sample.
 *
 * @param at          when the guest saw the pressure
 * @param neededBytes the memory limit the guest asks for, at least
 * @param reason      what the guest saw, like "980 MiB in use of a 1024 MiB limit"
 */
public record UpscaleRequest(Instant at, long neededBytes, String reason) {
    public UpscaleRequest {
        if (at == null) {
            throw new IllegalArgumentException("an upscale request needs the time the pressure was seen");
        }
        if (neededBytes <= 0) {
            throw new IllegalArgumentException("an upscale request needs a positive size, got " + neededBytes + " bytes");
        }
        reason = reason == null ? "" : reason;
    }
}
