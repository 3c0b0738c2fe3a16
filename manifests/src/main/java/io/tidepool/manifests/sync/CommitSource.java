package io.tidepool.manifests.sync;

import io.tidepool.api.resource.ApplySet;
import io.tidepool.manifests.git.BranchHead;
import io.tidepool.manifests.git.CommitManifests;

/** Where a sync reads its commits: one branch of one repository, under one path. */
public interface CommitSource {
    /**
     * The branch head now, brought in so that {@link #read} can read it.
     *
     * @throws io.tidepool.manifests.git.GitException when the repository cannot be read
     */
    BranchHead fetch();

    /**
     * The manifests of a commit already fetched, or the problems that keep it from being a set.
     *
     * @throws io.tidepool.manifests.git.GitException when git fails
     */
    CommitManifests read(String commit);

    /** Where a commit of the branch comes from (commit null before one is known), as the apply set records it. */
    ApplySet.Source ref(String branch, String commit);
}
