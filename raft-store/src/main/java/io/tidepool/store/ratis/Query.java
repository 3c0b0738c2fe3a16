package io.tidepool.store.ratis;

/** A read answered by one replica's state, after the ReadIndex round that makes it linearizable. */
sealed interface Query permits Query.Get, Query.Range, Query.Revisions {

    record Get(String key) implements Query {
    }

    record Range(String prefix, String startAfter, int limit) implements Query {
    }

    /** The current and the first watchable revision. */
    record Revisions() implements Query {
    }
}
