package io.tidepool.api.resource;

import java.time.Instant;

/** Moving an endpoint's compute from one host to another, with its phase and timings. */
public record Migration(ObjectMeta metadata, Spec spec, Status status) implements Resource {

    /**
     * @param compute     the primary that moves off {@code sourceHost}
     * @param replacement the compute started on {@code targetHost} that takes over from it
     * @param reason      why the move was chosen, as the migration decision explained it
     */
    public record Spec(String endpoint, String compute, String replacement, String sourceHost, String targetHost,
                       String reason) {
    }

    /**
     * Pending until the replacement starts; Copying while it starts and warms; Switching for the one
     * transaction that makes it primary; then Succeeded, or Failed with the reason in the message.
     */
    public enum Phase { Pending, Copying, Switching, Succeeded, Failed }

    /**
     * @param warmAt     when the replacement was first seen warm: copying took {@code warmAt - startedAt}
     * @param finishedAt when the switch (or the failure) happened
     */
    public record Status(Phase phase, Instant startedAt, Instant warmAt, Instant finishedAt, String message) {
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
