package io.tidepool.manifests.plan;

/** What applying a manifest does to one object, in the words {@code apply} prints. */
public enum Action {
    CREATE("created"),
    CONFIGURE("configured"),
    UNCHANGED("unchanged"),
    /** Deleted: the set's inventory had it, its manifests no longer declare it. */
    PRUNE("pruned"),
    /** Left in place although its manifests no longer declare it: it opted out of pruning; it leaves the set. */
    KEEP("kept");

    private final String pastTense;

    Action(String pastTense) {
        this.pastTense = pastTense;
    }

    public String pastTense() {
        return pastTense;
    }

    public static Action ofPastTense(String text) {
        for (Action action : values()) {
            if (action.pastTense.equals(text)) {
                return action;
            }
        }
        throw new IllegalArgumentException("unknown apply action \"" + text + "\"");
    }
}
