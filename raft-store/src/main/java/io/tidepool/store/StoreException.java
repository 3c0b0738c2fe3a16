package io.tidepool.store;

/** The store could not do what was asked: unavailable, timed out, or the request was refused. */
public class StoreException extends RuntimeException {
    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
