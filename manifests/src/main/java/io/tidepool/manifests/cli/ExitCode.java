package io.tidepool.manifests.cli;

/** Exit codes of the CLI verbs; scripts and CI read them, so they never change meaning. */
public final class ExitCode {
    /** Done; for {@code diff}: nothing would change. */
    public static final int OK = 0;
    /** {@code diff} only: applying would change something. */
    public static final int DIFFERENT = 1;
    /** The manifests or the command line are invalid; nothing was applied. */
    public static final int INVALID = 2;
    /** The server could not be reached or could not reach its store. */
    public static final int UNAVAILABLE = 3;
    /** The named object does not exist. */
    public static final int NOT_FOUND = 4;
    /** The server refused or failed the request for another reason. */
    public static final int FAILED = 5;
    /** {@code plan} only: the manifests are valid, but the cell has no room for what they declare. */
    public static final int WONT_FIT = 6;
    /** {@code apply --wait}: the fleet had not converged when the timeout ran out. */
    public static final int TIMED_OUT = 7;

    private ExitCode() {
    }
}
