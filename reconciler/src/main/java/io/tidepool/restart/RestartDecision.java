package io.tidepool.restart;

import java.time.Instant;
import java.util.Objects;

/** What the planned-restart reconciler does next for one endpoint, with the line {@code describe} shows. */
public sealed interface RestartDecision {

    String explanation();

    /** Do nothing before {@code until}; decide again then (or sooner, when something changes). */
    record Wait(Instant until, String explanation) implements RestartDecision {
        public Wait {
            Objects.requireNonNull(until, "until");
        }
    }

    /** Start a replacement compute with the desired Postgres and warm it from the primary's hot pages. */
    record StartReplacement(String explanation) implements RestartDecision {
    }

    /** Switch the endpoint to its warm replacement and retire the old primary. */
    record Switch(String explanation) implements RestartDecision {
    }

    /** Stop the replacement: no longer needed, or it missed its window. */
    record RetireReplacement(String explanation) implements RestartDecision {
    }

    /** No restart is needed and no replacement is running. */
    record Nothing(String explanation) implements RestartDecision {
    }
}
