package io.tidepool.manifests.sync;

/** The server or its store could not be reached; the next round tries again. */
public class TargetUnavailableException extends RuntimeException {
    public TargetUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
