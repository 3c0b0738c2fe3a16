package io.tidepool.manifests.git;

import io.tidepool.api.codec.ManifestLimits;

/**
 * How much of a commit a sync will read: the same bound per file as {@code apply -f}, and bounds on
 * the number of files and their total size, so that a huge or hostile repository costs little.
 * The total stays well under what the API accepts in one apply.
 */
public record TreeLimits(long maxFileBytes, int maxFiles, long maxTotalBytes) {
    public static final TreeLimits DEFAULTS = new TreeLimits(ManifestLimits.DEFAULTS.maxFileBytes(), 10_000, 16L << 20);

    public TreeLimits {
        if (maxFileBytes < 1 || maxFiles < 1 || maxTotalBytes < 1) {
            throw new IllegalArgumentException("tree limits must be positive: " + maxFileBytes + ", " + maxFiles + ", " + maxTotalBytes);
        }
    }
}
