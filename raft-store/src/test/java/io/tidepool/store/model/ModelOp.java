package io.tidepool.store.model;

import java.util.List;

/**
 * One step of a random operation sequence, described abstractly (key and revision choices are
 * indexes) and resolved against the store's state when it runs, so that one sequence fits any store.
 */
sealed interface ModelOp {
    /** Keys chosen from a small set with shared prefixes, so prefixes and boundaries get exercised. */
    List<String> KEYS = List.of("a", "a/", "a/b", "ab", "b", "b/c", "c");
    List<String> PREFIXES = List.of("", "a", "a/", "b", "c", "d");

    record Put(int key, byte value) implements ModelOp {
    }

    record Delete(int key) implements ModelOp {
    }

    /** {@code value} is a revision offset (0 = 0, else base + value) or, for a version, the value itself. */
    record CompareSpec(int key, int target, int operator, int value) {
    }

    record WriteSpec(int key, boolean put, byte value) {
    }

    record Txn(List<CompareSpec> compares, List<WriteSpec> success, List<WriteSpec> failure) implements ModelOp {
    }

    record Get(int key) implements ModelOp {
    }

    record Range(int prefix, int startAfter, int limit) implements ModelOp {
    }

    /** Compacts {@code back} revisions below the current one (0 = at the current revision). */
    record Compact(int back) implements ModelOp {
    }

    /** Watches a prefix from {@code back} revisions below the next one and checks the history delivered. */
    record Watch(int prefix, int back) implements ModelOp {
    }
}
