package io.tidepool.api.resource;

/**
 * A stored object: metadata, the spec that its owner declares, and the status the system observes.
 * Records are immutable; change one with its {@code withX} methods.
 */
public sealed interface Resource permits Cell, Host, Endpoint, Compute, Migration, Event, ApplySet {
    String API_VERSION = "tidepool.io/v1";

    Kind kind();

    ObjectMeta metadata();

    Object spec();

    /** The observed state, or null when the system has not written any. */
    Object status();

    Resource withMetadata(ObjectMeta metadata);

    /** The same object with no status: what manifests declare. */
    Resource withoutStatus();

    default String name() {
        return metadata().name();
    }

    /** {@code Kind/name}, the way errors and the CLI name an object. */
    default String ref() {
        return kind().displayName() + "/" + name();
    }
}
