package io.tidepool.manifests.git;

/** Why the manifests of a commit cannot be applied as they are, before any is parsed: a file too big, a missing path. */
public record TreeProblem(String path, String message) {
    /** {@code path: message}, as manifest errors begin with their file. */
    public String format() {
        return path + ": " + message;
    }

    @Override
    public String toString() {
        return format();
    }
}
