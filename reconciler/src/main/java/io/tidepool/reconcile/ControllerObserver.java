package io.tidepool.reconcile;

import java.time.Duration;

/**
 * What one controller's runtime reports as it works, for metrics: the traffic of its queue and the
 * outcome and time of each reconcile, as controller-runtime's workqueue and reconcile metrics count
 * them. The queue calls it under its lock and the workers on their own threads, so an observer
 * must be thread-safe, return quickly and never call back into the queue. {@link #NONE} is for
 * simulations and tests.
 */
public interface ControllerObserver {
    ControllerObserver NONE = new ControllerObserver() {
    };

    /** How a reconcile ended: the key is done, asked to be looked at again later, or failed (retried with backoff). */
    enum Outcome {
        DONE("done"), REQUEUE("requeue"), ERROR("error");

        private final String label;

        Outcome(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** A key was queued that was not queued already (a duplicate add is no news); a delayed key counts when it falls due. */
    default void added() {
    }

    /** A key that failed was queued again after its backoff. */
    default void retried() {
    }

    /** A worker took a key that had been due for {@code waited}. */
    default void waited(Duration waited) {
    }

    /** A reconcile ended with {@code outcome} after {@code took}. */
    default void reconciled(Outcome outcome, Duration took) {
    }
}
