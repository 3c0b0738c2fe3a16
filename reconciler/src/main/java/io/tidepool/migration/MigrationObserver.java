package io.tidepool.migration;

import java.time.Duration;

/**
 * What the migration controller reports, for metrics, once each write is committed: every
 * migration is reported started once and finished once, in the term that wrote it. {@link #NONE}
 * is for simulations and tests.
 */
public interface MigrationObserver {
    MigrationObserver NONE = new MigrationObserver() {
    };

    /** Why a migration is started: today only a host above its watermark. */
    String OVER_WATERMARK = "watermark";

    /** A migration was started for {@code reason}. */
    default void started(String reason) {
    }

    /** A migration ended; {@code took} is its {@code finishedAt - startedAt}. */
    default void finished(String reason, MigrationEnd end, Duration took) {
    }
}
