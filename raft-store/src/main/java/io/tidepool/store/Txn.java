package io.tidepool.store;

import java.util.List;

/**
 * If every compare holds, the {@code success} ops run, otherwise the {@code failure} ops; either
 * way atomically, at one new revision (or none, when the branch writes nothing). A key may be
 * written at most once per branch, as in etcd.
 */
public record Txn(List<Compare> compares, List<Op> success, List<Op> failure) {
    public Txn {
        compares = List.copyOf(compares);
        success = List.copyOf(success);
        failure = List.copyOf(failure);
    }

    public static Txn of(List<Compare> compares, List<Op> success) {
        return new Txn(compares, success, List.of());
    }

    public static Txn when(List<Compare> compares, List<Op> success, List<Op> failure) {
        return new Txn(compares, success, failure);
    }
}
