package io.tidepool.migration;

/** How a migration ended: switched to its replacement (phase Succeeded), or why it failed (phase Failed). */
public enum MigrationEnd {
    SUCCEEDED("succeeded"),
    /** The endpoint was deleted while it moved. */
    ENDPOINT_DELETED("endpoint-deleted"),
    /** The compute that moved is no longer the endpoint's primary: suspended, evicted or replaced. */
    PRIMARY_GONE("primary-gone"),
    /** The replacement is gone, as when its host failed. */
    REPLACEMENT_LOST("replacement-lost"),
    /** The replacement was not warm within the migration timeout. */
    WARM_TIMEOUT("warm-timeout"),
    /** The source host did not confirm that the fenced primary stopped within the timeout. */
    STOP_TIMEOUT("stop-timeout");

    private final String label;

    MigrationEnd(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
