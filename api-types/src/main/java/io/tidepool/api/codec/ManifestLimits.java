package io.tidepool.api.codec;

/**
 * Bounds on what {@link ManifestCodec} will read, so that a hostile or broken file costs little
 * memory and time. Document size is counted in characters, as the YAML reader counts it; for the
 * ASCII that manifests are almost always written in, that is bytes.
 *
 * @param maxAliases how many aliases of lists or mappings one document may use; each could
 *                   otherwise double the size of what it refers to ("billion laughs")
 */
public record ManifestLimits(long maxFileBytes, long maxDocumentBytes, int maxDepth, int maxAliases, int maxDocuments) {
    public static final ManifestLimits DEFAULTS = new ManifestLimits(8L << 20, 1L << 20, 32, 50, 10_000);

    public ManifestLimits {
        if (maxFileBytes < 1 || maxDocumentBytes < 1 || maxDepth < 1 || maxAliases < 0 || maxDocuments < 1) {
            throw new IllegalArgumentException("manifest limits must be positive: " + maxFileBytes + ", "
                    + maxDocumentBytes + ", " + maxDepth + ", " + maxAliases + ", " + maxDocuments);
        }
    }
}
