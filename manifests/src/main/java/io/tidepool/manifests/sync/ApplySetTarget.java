package io.tidepool.manifests.sync;

import io.tidepool.api.resource.ApplySet;
import io.tidepool.manifests.source.ManifestFile;
import java.util.List;
import java.util.Optional;

/**
 * The apply set a sync writes into: through the REST API for {@code tidepool sync}, through the
 * server's own applier for the sync inside the server. Every method throws
 * {@link TargetException} when the server or its store cannot be reached, or the server refuses to answer.
 */
public interface ApplySetTarget {
    /** The name of the set, as {@code get applysets} lists it. */
    String setName();

    /** The commit the set last applied, as its status records it; empty before its first apply. */
    Optional<String> appliedCommit();

    /** The objects of the set ({@code Kind/name}) that differ from what it last applied, or are gone. */
    List<String> drift();

    /** Applies the files as the whole set, with prune, recording the outcome (and the source) in the set's status. */
    ApplyAttempt apply(List<ManifestFile> files, ApplySet.Source source);

    /**
     * Records in the set's status an attempt that never reached an apply: a repository that could
     * not be read ({@link AttemptOutcome#FETCH_FAILED}) or a commit whose files are no manifest set
     * ({@link AttemptOutcome#INVALID}); what the set applied stays as it was.
     */
    void recordFailure(ApplySet.Source source, AttemptOutcome outcome, String message, List<String> errors);
}
