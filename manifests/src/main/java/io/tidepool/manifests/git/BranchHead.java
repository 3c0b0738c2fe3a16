package io.tidepool.manifests.git;

/** The commit a branch of a repository pointed at when it was fetched. */
public record BranchHead(String branch, String commit) {
    public BranchHead {
        if (branch == null || branch.isEmpty() || commit == null || !commit.matches("[0-9a-f]{40,64}")) {
            throw new IllegalArgumentException("a branch head needs a branch and a full commit id: " + branch + " " + commit);
        }
    }
}
