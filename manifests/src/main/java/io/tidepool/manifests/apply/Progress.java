package io.tidepool.manifests.apply;

import java.util.List;

/**
 * The answer of {@code POST /api/v1/progress}: how far the fleet has come with some endpoints.
 *
 * @param revision the store revision it was read at
 */
public record Progress(long revision, List<Item> endpoints) {
    public Progress {
        endpoints = endpoints == null ? List.of() : List.copyOf(endpoints);
    }

    /**
     * @param state   Ready, Suspended, WaitingForWindow or Gone (settled); Pending or Failed (not)
     * @param settled whether the fleet is done with it for now
     */
    public record Item(String name, String state, boolean settled, String message) {
    }

    /** The body of the request: endpoints applied, and endpoints pruned (done once gone). */
    public record Request(List<String> endpoints, List<String> pruned) {
        public Request {
            endpoints = endpoints == null ? List.of() : List.copyOf(endpoints);
            pruned = pruned == null ? List.of() : List.copyOf(pruned);
        }
    }

    public boolean settled() {
        return endpoints.stream().allMatch(Item::settled);
    }
}
