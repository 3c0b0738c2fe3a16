package io.tidepool.manifests.sync;

/**
 * The server could not be asked: {@link AttemptOutcome#UNAVAILABLE} when it (or its store) could
 * not be reached, {@link AttemptOutcome#REFUSED} when it answered no (a token it does not take,
 * say). Either way the next round tries again.
 */
public class TargetException extends RuntimeException {
    private final AttemptOutcome outcome;

    public TargetException(AttemptOutcome outcome, String message, Throwable cause) {
        super(message, cause);
        if (outcome != AttemptOutcome.UNAVAILABLE && outcome != AttemptOutcome.REFUSED) {
            throw new IllegalArgumentException("a server that cannot be asked is unavailable or refuses, not " + outcome);
        }
        this.outcome = outcome;
    }

    public static TargetException unavailable(String message, Throwable cause) {
        return new TargetException(AttemptOutcome.UNAVAILABLE, message, cause);
    }

    public AttemptOutcome outcome() {
        return outcome;
    }
}
