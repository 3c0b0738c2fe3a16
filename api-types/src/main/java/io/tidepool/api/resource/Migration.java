package io.tidepool.api.resource;

import java.time.Instant;

/** Moving an endpoint's compute from one host to another, with its phase and timings. */
public record Migration(ObjectMeta metadata, Spec spec, Status status) implements Resource {

    public record Spec(String endpoint, String compute, String sourceHost, String targetHost, String reason) {
    }

    public enum Phase { Pending, Copying, Switching, Succeeded, Failed }

    public record Status(Phase phase, Instant startedAt, Instant finishedAt, String message) {
    }

    @Override
    public Kind kind() {
        return Kind.MIGRATION;
    }

    @Override
    public Migration withMetadata(ObjectMeta newMetadata) {
        return new Migration(newMetadata, spec, status);
    }

    @Override
    public Migration withoutStatus() {
        return new Migration(metadata, spec, null);
    }

    public Migration withStatus(Status newStatus) {
        return new Migration(metadata, spec, newStatus);
    }
}
