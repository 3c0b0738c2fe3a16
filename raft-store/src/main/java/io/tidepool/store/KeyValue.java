package io.tidepool.store;

import java.util.Arrays;

/**
 * A key with its value and history: the revision that created it, the one that last modified it,
 * and how many times it was written since it was created.
 */
public record KeyValue(String key, byte[] value, long createRevision, long modRevision, long version) {

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyValue kv && key.equals(kv.key) && Arrays.equals(value, kv.value)
                && createRevision == kv.createRevision && modRevision == kv.modRevision && version == kv.version;
    }

    @Override
    public int hashCode() {
        return key.hashCode() * 31 + Long.hashCode(modRevision);
    }

    @Override
    public String toString() {
        return "KeyValue[" + key + " (" + (value == null ? "deleted" : value.length + " bytes") + ") create="
                + createRevision + " mod=" + modRevision + " version=" + version + "]";
    }
}
