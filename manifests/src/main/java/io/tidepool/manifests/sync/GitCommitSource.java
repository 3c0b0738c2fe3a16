package io.tidepool.manifests.sync;

import io.tidepool.api.resource.ApplySet;
import io.tidepool.manifests.git.BranchHead;
import io.tidepool.manifests.git.CommitManifests;
import io.tidepool.manifests.git.GitCommandLine;
import io.tidepool.manifests.git.GitMirror;
import io.tidepool.manifests.git.ManifestTree;
import io.tidepool.manifests.git.RepositoryAddress;
import io.tidepool.manifests.git.RepositoryPath;
import io.tidepool.manifests.git.TreeLimits;
import java.nio.file.Path;
import java.util.Optional;

/** Commits of one branch of a git repository, read through a cache clone in {@code cacheRoot}. */
public final class GitCommitSource implements CommitSource {
    private final GitMirror mirror;
    private final ManifestTree tree;
    private final Optional<String> branch;
    private final RepositoryPath path;

    public GitCommitSource(GitMirror mirror, ManifestTree tree, Optional<String> branch, RepositoryPath path) {
        this.mirror = mirror;
        this.tree = tree;
        this.branch = branch;
        this.path = path;
    }

    /** The usual set-up: the {@code git} on the PATH, the default limits and time limits. */
    public static GitCommitSource open(RepositoryAddress address, Optional<String> branch, RepositoryPath path, Path cacheRoot) {
        GitCommandLine git = new GitCommandLine("git", cacheRoot.resolve("tmp"));
        GitMirror mirror = new GitMirror(git, address, cacheRoot, GitMirror.Timeouts.DEFAULT);
        ManifestTree tree = new ManifestTree(git, mirror.directory(), TreeLimits.DEFAULTS, GitMirror.Timeouts.DEFAULT.local());
        return new GitCommitSource(mirror, tree, branch, path);
    }

    @Override
    public BranchHead fetch() {
        return mirror.fetch(branch);
    }

    @Override
    public CommitManifests read(String commit) {
        return tree.read(commit, path);
    }

    @Override
    public ApplySet.Source ref(String fetchedBranch, String commit) {
        return new ApplySet.Source(mirror.address().shown(), fetchedBranch != null ? fetchedBranch : branch.orElse(null),
                path.value(), commit);
    }
}
