package io.tidepool.api.resource;

import io.tidepool.api.quantity.Cu;

/** One running instance of an endpoint on a host. Written by controllers, never by manifests. */
public record Compute(ObjectMeta metadata, Spec spec, Status status) implements Resource {

    /** @param epoch fencing token: a host may only run the compute of the newest epoch it was given */
    public record Spec(String endpoint, String host, Cu cu, Role role, long epoch) {
    }

    public enum Role { primary, replacement }

    public enum Phase { Pending, Starting, Running, Stopping, Stopped, Failed }

    /** What the driver and the guest confirmed, which may lag the spec. */
    public record Status(Phase phase, Cu cu, String address) {
    }

    @Override
    public Kind kind() {
        return Kind.COMPUTE;
    }

    @Override
    public Compute withMetadata(ObjectMeta newMetadata) {
        return new Compute(newMetadata, spec, status);
    }

    @Override
    public Compute withoutStatus() {
        return new Compute(metadata, spec, null);
    }

    public Compute withStatus(Status newStatus) {
        return new Compute(metadata, spec, newStatus);
    }
}
