package io.tidepool.store;

/**
 * A condition on one key that a transaction checks before it writes. A key that does not exist has
 * create revision, modify revision and version 0, as in etcd.
 */
public record Compare(String key, Target target, Operator operator, long value) {

    public enum Target { CREATE_REVISION, MOD_REVISION, VERSION }

    public enum Operator { EQUAL, NOT_EQUAL, LESS, GREATER }

    public static Compare modRevisionIs(String key, long revision) {
        return new Compare(key, Target.MOD_REVISION, Operator.EQUAL, revision);
    }

    public static Compare absent(String key) {
        return new Compare(key, Target.CREATE_REVISION, Operator.EQUAL, 0);
    }

    public static Compare exists(String key) {
        return new Compare(key, Target.CREATE_REVISION, Operator.GREATER, 0);
    }

    /** Whether the condition holds for {@code current}, which is null when the key does not exist. */
    public boolean holdsFor(KeyValue current) {
        long actual = current == null ? 0 : switch (target) {
            case CREATE_REVISION -> current.createRevision();
            case MOD_REVISION -> current.modRevision();
            case VERSION -> current.version();
        };
        return switch (operator) {
            case EQUAL -> actual == value;
            case NOT_EQUAL -> actual != value;
            case LESS -> actual < value;
            case GREATER -> actual > value;
        };
    }
}
