package io.tidepool.manifests.sync;

/**
 * Where a manifest set came from, as the apply set records it: the repository as it may be shown
 * (never with credentials), the branch, the path in the repository and the commit; the commit is
 * null when the round failed before it knew one.
 */
public record SourceRef(String repo, String branch, String path, String commit) {
}
