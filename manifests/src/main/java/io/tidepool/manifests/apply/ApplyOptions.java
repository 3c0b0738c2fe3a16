package io.tidepool.manifests.apply;

import io.tidepool.api.resource.ApplySet;

/** How to apply a manifest set; the fields are those of {@link ApplyRequest}. */
public record ApplyOptions(boolean dryRun, String set, boolean prune, boolean allowEmpty, Long expectRevision,
                           ApplySet.Source source) {
    public static final ApplyOptions APPLY = new ApplyOptions(false, null, false, false, null, null);
    public static final ApplyOptions DRY_RUN = new ApplyOptions(true, null, false, false, null, null);

    public ApplyOptions {
        if (prune && set == null) {
            throw new IllegalArgumentException("prune needs the name of the apply set whose objects it may delete");
        }
        if (expectRevision != null && expectRevision < 0) {
            throw new IllegalArgumentException("expectRevision must be a store revision, 0 or more, got " + expectRevision);
        }
    }

    public static ApplyOptions of(boolean dryRun) {
        return dryRun ? DRY_RUN : APPLY;
    }
}
