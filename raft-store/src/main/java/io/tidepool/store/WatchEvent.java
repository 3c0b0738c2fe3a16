package io.tidepool.store;

/**
 * One change to one key. For a put, {@code kv} is the new value; for a delete, its value is null,
 * its modify revision is the revision of the delete and its create revision that of the deleted key.
 */
public record WatchEvent(Type type, KeyValue kv) {

    public enum Type { PUT, DELETE }

    public long revision() {
        return kv.modRevision();
    }
}
