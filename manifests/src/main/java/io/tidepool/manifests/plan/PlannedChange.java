package io.tidepool.manifests.plan;

import io.tidepool.api.resource.Resource;

/**
 * One object of an apply: what the store will hold afterwards ({@code next}), and what it holds now
 * ({@code live}, null when the object does not exist yet).
 */
public record PlannedChange(Action action, Resource next, Resource live) {

    public String ref() {
        return next.ref();
    }

    public boolean writes() {
        return action != Action.UNCHANGED;
    }
}
