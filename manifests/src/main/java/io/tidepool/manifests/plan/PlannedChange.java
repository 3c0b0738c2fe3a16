package io.tidepool.manifests.plan;

import io.tidepool.api.resource.Resource;

/**
 * One object of an apply: what the store will hold afterwards ({@code next}; for a prune, the
 * object that goes), and what it holds now ({@code live}, null when the object does not exist yet).
 */
public record PlannedChange(Action action, Resource next, Resource live) {

    public String ref() {
        return next.ref();
    }

    /** Whether the object itself is written: created, changed or deleted. */
    public boolean writes() {
        return action == Action.CREATE || action == Action.CONFIGURE || action == Action.PRUNE;
    }
}
