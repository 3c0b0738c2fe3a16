package io.tidepool.api.resource;

import java.time.Instant;

/** One observed aspect of an object, as Kubernetes reports it: {@code Ready=True} and why. */
public record Condition(String type, Status status, String reason, String message, Instant lastTransitionTime) {
    public enum Status { True, False, Unknown }
}
