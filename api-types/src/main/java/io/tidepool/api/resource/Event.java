package io.tidepool.api.resource;

import java.time.Instant;

/** Something that happened to an object, kept for {@code describe} and the console. */
public record Event(ObjectMeta metadata, Spec spec, Status status) implements Resource {

    public enum Type { Normal, Warning }

    /** @param involved the object it happened to, as {@code Kind/name} */
    public record Spec(String involved, Type type, String reason, String message) {
    }

    /** How often it happened: repeats of one event are counted, not stored again. */
    public record Status(Instant firstTimestamp, Instant lastTimestamp, int count) {
    }

    @Override
    public Kind kind() {
        return Kind.EVENT;
    }

    @Override
    public Event withMetadata(ObjectMeta newMetadata) {
        return new Event(newMetadata, spec, status);
    }

    @Override
    public Event withoutStatus() {
        return new Event(metadata, spec, null);
    }
}
