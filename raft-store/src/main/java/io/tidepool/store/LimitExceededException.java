package io.tidepool.store;

/** A request was refused because it is larger than a {@code Store.MAX_*} limit allows. */
public class LimitExceededException extends StoreException {
    public LimitExceededException(String message) {
        super(message);
    }
}
