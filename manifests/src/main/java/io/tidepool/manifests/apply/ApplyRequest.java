package io.tidepool.manifests.apply;

import io.tidepool.api.resource.ApplySet;
import io.tidepool.manifests.source.ManifestFile;
import java.util.List;

/**
 * The body of {@code POST /api/v1/apply}: manifest files as written, so that the server parses
 * and validates them itself and its errors name the caller's files and lines.
 *
 * @param set            the apply set the files make up: its inventory records what they applied,
 *                       so that a later {@code prune} knows what the set created; null for none
 * @param prune          delete the objects of the set's inventory that the files no longer declare
 * @param allowEmpty     let a prune delete every object of the set
 * @param expectRevision refuse if any object of the set changed what manifests own since this
 *                       store revision (as {@code diff} printed it); null not to check
 * @param source         where the files come from (a git commit), recorded with the set
 */
public record ApplyRequest(List<ManifestFile> files, boolean dryRun, String set, boolean prune, boolean allowEmpty,
                           Long expectRevision, ApplySet.Source source) {
    public ApplyRequest {
        files = files == null ? List.of() : List.copyOf(files);
    }

    public ApplyRequest(List<ManifestFile> files, boolean dryRun) {
        this(files, dryRun, null, false, false, null, null);
    }

    public ApplyRequest(List<ManifestFile> files, ApplyOptions options) {
        this(files, options.dryRun(), options.set(), options.prune(), options.allowEmpty(), options.expectRevision(),
                options.source());
    }

    public ApplyOptions options() {
        return new ApplyOptions(dryRun, set, prune, allowEmpty, expectRevision, source);
    }
}
