package io.tidepool.manifests.sync;

import io.tidepool.api.resource.ApplySet;
import io.tidepool.manifests.git.BranchHead;
import io.tidepool.manifests.git.CommitManifests;
import io.tidepool.manifests.git.GitException;
import io.tidepool.manifests.git.RepositoryPath;
import io.tidepool.manifests.git.TreeProblem;
import io.tidepool.manifests.source.ManifestFile;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A branch whose commits a test makes by hand; fetches fail while the test says the repository is down. */
final class InMemoryCommitSource implements CommitSource {
    private final Map<String, CommitManifests> commits = new HashMap<>();
    private String head;
    private GitException down;
    int fetches;

    /** Makes a commit of these files ({@code source -> text}) the head; returns its id. */
    String push(Map<String, String> files) {
        String commit = String.format("%040x", commits.size() + 1);
        List<ManifestFile> manifests = files.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> new ManifestFile(e.getKey(), e.getValue())).toList();
        commits.put(commit, new CommitManifests(commit, RepositoryPath.parse("deploy"), manifests, List.of()));
        head = commit;
        return commit;
    }

    /** Makes a commit whose path cannot be read the head. */
    String pushUnreadable(TreeProblem problem) {
        String commit = String.format("%040x", commits.size() + 1);
        commits.put(commit, new CommitManifests(commit, RepositoryPath.parse("deploy"), List.of(), List.of(problem)));
        head = commit;
        return commit;
    }

    void goDown(GitException reason) {
        down = reason;
    }

    void comeBack() {
        down = null;
    }

    @Override
    public BranchHead fetch() {
        fetches++;
        if (down != null) {
            throw down;
        }
        if (head == null) {
            throw new GitException(GitException.Reason.NO_SUCH_BRANCH, "repo has no commits yet");
        }
        return new BranchHead("main", head);
    }

    @Override
    public CommitManifests read(String commit) {
        return commits.get(commit);
    }

    @Override
    public ApplySet.Source ref(String branch, String commit) {
        return new ApplySet.Source("/srv/git/fleet", branch == null ? "main" : branch, "deploy", commit);
    }
}
