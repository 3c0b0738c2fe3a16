package io.tidepool.manifests.git;

import io.tidepool.manifests.source.ManifestFile;
import java.util.List;

/**
 * The manifest files of one commit under one path, named by their repository path; or, when the
 * commit cannot be read as a manifest set, the problems, and then no files at all.
 */
public record CommitManifests(String commit, RepositoryPath path, List<ManifestFile> files, List<TreeProblem> problems) {
    public CommitManifests {
        files = List.copyOf(files);
        problems = List.copyOf(problems);
        if (!problems.isEmpty() && !files.isEmpty()) {
            throw new IllegalArgumentException("a commit with problems has no files to apply");
        }
        if (problems.isEmpty() && files.isEmpty()) {
            throw new IllegalArgumentException("a readable commit has at least one manifest file");
        }
    }

    public boolean readable() {
        return problems.isEmpty();
    }
}
