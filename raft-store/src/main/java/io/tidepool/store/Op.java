package io.tidepool.store;

/** A write inside a transaction. */
public sealed interface Op permits Op.Put, Op.Delete {

    String key();

    record Put(String key, byte[] value) implements Op {
    }

    /** Deletes the key if it exists; deleting a missing key is not an error and writes nothing. */
    record Delete(String key) implements Op {
    }
}
