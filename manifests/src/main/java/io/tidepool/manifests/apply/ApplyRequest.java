package io.tidepool.manifests.apply;

import io.tidepool.manifests.source.ManifestFile;
import java.util.List;

/**
 * The body of {@code POST /api/v1/apply}: manifest files as written, so that the server parses
 * and validates them itself and its errors name the caller's files and lines.
 */
public record ApplyRequest(List<ManifestFile> files, boolean dryRun) {
    public ApplyRequest {
        files = files == null ? List.of() : List.copyOf(files);
    }
}
