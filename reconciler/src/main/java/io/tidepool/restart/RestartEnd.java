package io.tidepool.restart;

/** How a planned restart ended. */
public enum RestartEnd {
    /** The endpoint switched to its replacement. */
    SWITCHED("switched"),
    /** The replacement was stopped: no longer needed (the spec went back), or it missed its window. */
    RETIRED("retired"),
    /** The replacement's host could not run it for its {@link RestartPlanner#failingGrace}: retired for a fresh one. */
    REPLACEMENT_FAILED("replacement-failed"),
    /** The primary went (suspended, deleted or evicted) and its replacement with it. */
    PRIMARY_GONE("primary-gone"),
    /** The replacement was lost before the switch; the fenced primary serves again. */
    REPLACEMENT_LOST("replacement-lost");

    private final String label;

    RestartEnd(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
