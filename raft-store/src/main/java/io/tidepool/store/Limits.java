package io.tidepool.store;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The checks every store runs on a request before it does anything, so that all implementations
 * refuse the same requests with the same exceptions: {@link IllegalArgumentException} (or
 * {@link NullPointerException}) for malformed input, {@link LimitExceededException} for input over a
 * {@code Store.MAX_*} limit.
 */
public final class Limits {
    private Limits() {
    }

    /** A key is non-empty, well-formed Unicode and at most {@link Store#MAX_KEY_BYTES} in UTF-8. */
    public static void checkKey(String key) {
        checkPrefix(key);
        if (key.isEmpty()) {
            throw new IllegalArgumentException("a key must not be empty");
        }
    }

    /** A prefix is like a key but may be empty (every key starts with the empty prefix). */
    public static void checkPrefix(String prefix) {
        if (prefix == null) {
            throw new IllegalArgumentException("a key or prefix must not be null");
        }
        if (!isWellFormed(prefix)) {
            throw new IllegalArgumentException("key or prefix is not well-formed Unicode (lone surrogate): "
                    + abbreviate(prefix));
        }
        int bytes = utf8Length(prefix);
        if (bytes > Store.MAX_KEY_BYTES) {
            throw new LimitExceededException("key of " + bytes + " bytes is longer than the limit of "
                    + Store.MAX_KEY_BYTES + " bytes: " + abbreviate(prefix));
        }
    }

    public static void checkRange(String prefix, String startAfter, int limit) {
        checkPrefix(prefix);
        if (startAfter != null) {
            checkPrefix(startAfter);
        }
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be 0 (no limit) or positive, not " + limit);
        }
    }

    /** A revision argument: 0 or positive. */
    public static void checkRevision(long revision) {
        if (revision < 0) {
            throw new IllegalArgumentException("a revision must not be negative, not " + revision);
        }
    }

    /**
     * A transaction: valid keys and values, no key written twice in one branch (as etcd refuses), at
     * most {@link Store#MAX_TXN_OPS} compares and ops and {@link Store#MAX_TXN_BYTES} of keys and values.
     */
    public static void checkTxn(Txn txn) {
        if (txn == null) {
            throw new IllegalArgumentException("txn must not be null");
        }
        long ops = (long) txn.compares().size() + txn.success().size() + txn.failure().size();
        if (ops > Store.MAX_TXN_OPS) {
            throw new LimitExceededException("transaction has " + ops + " compares and ops; the limit is "
                    + Store.MAX_TXN_OPS);
        }
        long bytes = 0;
        for (Compare compare : txn.compares()) {
            if (compare == null || compare.target() == null || compare.operator() == null) {
                throw new IllegalArgumentException("compare and its target and operator must not be null");
            }
            checkKey(compare.key());
            bytes += utf8Length(compare.key());
        }
        bytes += checkBranch(txn.success(), "success");
        bytes += checkBranch(txn.failure(), "failure");
        if (bytes > Store.MAX_TXN_BYTES) {
            throw new LimitExceededException("transaction holds " + bytes + " bytes of keys and values; the limit is "
                    + Store.MAX_TXN_BYTES);
        }
    }

    private static long checkBranch(List<Op> ops, String branch) {
        long bytes = 0;
        Set<String> keys = new HashSet<>();
        for (Op op : ops) {
            if (op == null) {
                throw new IllegalArgumentException("an op must not be null");
            }
            checkKey(op.key());
            if (!keys.add(op.key())) {
                throw new IllegalArgumentException("key " + abbreviate(op.key()) + " is written twice in the "
                        + branch + " branch of one transaction");
            }
            bytes += utf8Length(op.key());
            if (op instanceof Op.Put put) {
                if (put.value() == null) {
                    throw new IllegalArgumentException("value of " + abbreviate(put.key()) + " must not be null");
                }
                if (put.value().length > Store.MAX_VALUE_BYTES) {
                    throw new LimitExceededException("value of " + abbreviate(put.key()) + " has "
                            + put.value().length + " bytes; the limit is " + Store.MAX_VALUE_BYTES);
                }
                bytes += put.value().length;
            }
        }
        return bytes;
    }

    private static boolean isWellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    private static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    private static String abbreviate(String key) {
        return key.length() <= 80 ? "'" + key + "'" : "'" + key.substring(0, 80) + "...'";
    }
}
