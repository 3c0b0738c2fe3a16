package io.tidepool.manifests.git;

/** Git could not do what a sync asked of it; the message says what and, where it can, how to fix it. */
public class GitException extends RuntimeException {
    /** Why, as the sync and the CLI's exit code tell them apart. */
    public enum Reason {
        /** No {@code git} command on this machine. */
        GIT_MISSING,
        /** The repository could not be reached or read (network, access rights, not a repository). */
        UNREACHABLE,
        /** A git command took longer than its limit and was stopped. */
        TIMED_OUT,
        /** The branch asked for does not exist in the repository, or the repository has no commits. */
        NO_SUCH_BRANCH,
        /** Git failed in the local cache; the message has git's own words. */
        FAILED
    }

    private final Reason reason;

    public GitException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
