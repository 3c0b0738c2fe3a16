package io.tidepool.server.apply;

/** What an apply read changed before it could write; nothing was written. */
public class ApplyConflictException extends RuntimeException {
    public ApplyConflictException(String message) {
        super(message);
    }
}
