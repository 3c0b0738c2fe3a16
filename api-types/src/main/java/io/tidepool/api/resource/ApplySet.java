package io.tidepool.api.resource;

import java.time.Instant;
import java.util.List;

/**
 * A manifest set applied under one name: which objects belong to it (its inventory, kept beside
 * it in the store), where its manifests come from, and how its applies went. Written by the
 * system when a set is applied; {@code apply --prune} deletes only objects of the set's inventory.
 */
public record ApplySet(ObjectMeta metadata, Spec spec, Status status) implements Resource {

    /** Objects carrying this annotation with the value {@link #PRUNE_DISABLED} are never pruned. */
    public static final String PRUNE_ANNOTATION = "tidepool.io/prune";
    public static final String PRUNE_DISABLED = "disabled";

    /** @param source where the set's manifests come from, as the latest apply said; null when applied by hand */
    public record Spec(Source source) {
    }

    /**
     * A git source of manifests; for an attempt, the commit it was made from. Any field may be
     * null when the manifests did not come from git.
     */
    public record Source(String repo, String branch, String path, String commit) {
        public Source withCommit(String newCommit) {
            return new Source(repo, branch, path, newCommit);
        }
    }

    /**
     * What became of an apply of the set: {@code Applied} changed objects, {@code Unchanged} found
     * nothing to change; the others wrote nothing but this record: {@code Invalid} manifests,
     * {@code Conflict} with a change made since the expected revision, {@code Refused} (pruning
     * every object without allow-empty), {@code Failed} before the manifests were read (a
     * repository that could not be fetched).
     */
    public enum Outcome { Applied, Unchanged, Invalid, Conflict, Refused, Failed }

    /** @param errors each error as {@code file:line:column: object: field: message} */
    public record Attempt(Instant at, String commit, Outcome outcome, String message, List<String> errors) {
        public Attempt {
            errors = errors == null ? List.of() : List.copyOf(errors);
        }

        public boolean succeeded() {
            return outcome == Outcome.Applied || outcome == Outcome.Unchanged;
        }
    }

    /** The apply now in force: when it was made and from which commit (null when applied by hand). */
    public record Applied(Instant at, String commit) {
    }

    /**
     * How many objects of the set differ from what it applied (or are gone), as the leader last
     * checked; the console and metrics read it here rather than asking for the drift of each set.
     *
     * @param at      when it was checked
     * @param objects the drifted objects as {@code Kind/name (changed|deleted)}, the first {@link #MAX_LISTED} of them
     */
    public record Drift(Instant at, int count, List<String> objects) {
        public static final int MAX_LISTED = 20;

        public Drift {
            objects = objects == null ? List.of() : List.copyOf(objects);
        }

        public static Drift none(Instant at) {
            return new Drift(at, 0, List.of());
        }

        /** Whether it says the same as {@code other}, whenever each was checked. */
        public boolean sameAs(Drift other) {
            return other != null && count == other.count && objects.equals(other.objects);
        }
    }

    /**
     * @param objects     how many objects the inventory holds
     * @param applied     the latest apply that succeeded; an attempt that failed leaves it in force
     * @param lastAttempt the latest apply, whatever became of it
     * @param drift       objects changed or deleted since the set applied them, as last checked; null before the first check
     */
    public record Status(int objects, Applied applied, Attempt lastAttempt, Drift drift) {
        public Status(int objects, Applied applied, Attempt lastAttempt) {
            this(objects, applied, lastAttempt, null);
        }

        public Status withLastAttempt(Attempt attempt) {
            return new Status(objects, applied, attempt, drift);
        }

        public Status withDrift(Drift newDrift) {
            return new Status(objects, applied, lastAttempt, newDrift);
        }
    }

    @Override
    public Kind kind() {
        return Kind.APPLY_SET;
    }

    @Override
    public ApplySet withMetadata(ObjectMeta newMetadata) {
        return new ApplySet(newMetadata, spec, status);
    }

    @Override
    public ApplySet withoutStatus() {
        return new ApplySet(metadata, spec, null);
    }

    public ApplySet withStatus(Status newStatus) {
        return new ApplySet(metadata, spec, newStatus);
    }

    /** Whether the object asks not to be pruned. */
    public static boolean pruneDisabled(Resource resource) {
        return PRUNE_DISABLED.equals(resource.metadata().annotations().get(PRUNE_ANNOTATION));
    }
}
