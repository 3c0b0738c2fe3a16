package io.tidepool.api.resource;

import io.tidepool.api.quantity.Cu;
import java.time.Instant;
import java.util.List;

/** One machine of a cell. Declared in a manifest, or registered by its host agent. */
public record Host(ObjectMeta metadata, Spec spec, Status status) implements Resource {

    public record Spec(String cell, HostShape capacity, Boolean unschedulable) {
        public Spec {
            unschedulable = unschedulable != null && unschedulable;
        }
    }

    public record Status(Boolean ready, Cu allocatedCu, Cu capacityCu, Instant lastHeartbeat,
                         List<Condition> conditions) {
        public Status {
            conditions = conditions == null ? List.of() : List.copyOf(conditions);
        }
    }

    @Override
    public Kind kind() {
        return Kind.HOST;
    }

    @Override
    public Host withMetadata(ObjectMeta newMetadata) {
        return new Host(newMetadata, spec, status);
    }

    @Override
    public Host withoutStatus() {
        return new Host(metadata, spec, null);
    }

    public Host withStatus(Status newStatus) {
        return new Host(metadata, spec, newStatus);
    }
}
