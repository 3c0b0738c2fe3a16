package io.tidepool.restart;

import io.tidepool.api.resource.Endpoint;

/** Why an endpoint is restarted, in one word fit for a metrics label. */
public enum RestartCause {
    /** Another Postgres major version. */
    VERSION("version"),
    /** Only settings that Postgres reads at start. */
    SETTINGS("settings"),
    /** The compute it replaced is gone, and with it what differed. */
    UNKNOWN("unknown");

    private final String label;

    RestartCause(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** The cause of restarting a compute that runs {@code running} into one that runs {@code desired}. */
    public static RestartCause between(Endpoint.Postgres desired, Endpoint.Postgres running) {
        return desired.version().equals(running.version()) ? SETTINGS : VERSION;
    }
}
