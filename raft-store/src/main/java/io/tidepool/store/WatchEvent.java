package io.tidepool.store;

/**
 * One change to one key. For a put, {@code kv} is the new value; for a delete, its value is null,
 * its modify revision is the revision of the delete, its create revision that of the deleted key,
 * and its version 0 (a missing key's version).
 */
public record WatchEvent(Type type, KeyValue kv) {

    public enum Type { PUT, DELETE }

    public long revision() {
        return kv.modRevision();
    }
}
