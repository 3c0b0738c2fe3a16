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

    private ExitCode() {
    }
}
