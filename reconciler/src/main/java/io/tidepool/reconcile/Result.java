package io.tidepool.reconcile;

import java.time.Duration;

/** What a reconcile asks of its queue: nothing more, or another look after a while. */
public record Result(Duration requeueAfter) {
    private static final Result DONE = new Result(null);

    public static Result done() {
        return DONE;
    }

    public static Result after(Duration delay) {
        return new Result(delay);
    }

    public boolean requeues() {
        return requeueAfter != null;
    }
}
