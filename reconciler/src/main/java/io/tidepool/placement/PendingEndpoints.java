package io.tidepool.placement;

import io.tidepool.api.resource.Compute;
import io.tidepool.api.resource.Endpoint;
import io.tidepool.control.FleetCache;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * The endpoints of each cell that need a compute ({@link PlacementNeed#needsCompute}), kept current
 * from the cache's endpoint and compute changes, so that placement looks at the few that wait rather
 * than at every endpoint of the cell on every pass. It is a hint derived from the cache: placement
 * checks each name against the cache again before it acts.
 *
 * <p>The cache applies computes before endpoints, so when a placement (a compute and its endpoint's
 * claim) arrives, the endpoint is looked at again last, with its compute already there.
 */
public final class PendingEndpoints {
    private final FleetCache cache;
    private final Map<String, NavigableSet<String>> byCell = new ConcurrentHashMap<>();

    /** Follows {@code cache} from now on; create it before the cache lists, so that it sees every object. */
    public PendingEndpoints(FleetCache cache) {
        this.cache = cache;
        cache.endpoints.addHandler(this::onEndpoint);
        cache.computes.addHandler(this::onCompute);
    }

    /**
     * The names of the endpoints of {@code cell} that need a compute, in name order, as a live view:
     * iterating it while the cache changes is safe and sees some recent state.
     */
    public Iterable<String> inNameOrder(String cell) {
        NavigableSet<String> names = byCell.get(cell);
        return names == null ? List.of() : Collections.unmodifiableNavigableSet(names);
    }

    private void onEndpoint(Endpoint before, Endpoint after) {
        if (before != null && before.spec().cell() != null
                && (after == null || !Objects.equals(before.spec().cell(), after.spec().cell()))) {
            remove(before.spec().cell(), before.name());
        }
        if (after != null) {
            update(after);
        }
    }

    private void onCompute(Compute before, Compute after) {
        Compute compute = after != null ? after : before;
        if (compute.spec().endpoint() != null) {
            cache.endpoints.get(compute.spec().endpoint()).ifPresent(this::update);
        }
    }

    private void update(Endpoint endpoint) {
        String cell = endpoint.spec().cell();
        if (cell == null) {
            return;
        }
        if (PlacementNeed.needsCompute(endpoint, primaryOf(endpoint))) {
            byCell.computeIfAbsent(cell, c -> new ConcurrentSkipListSet<>()).add(endpoint.name());
        } else {
            remove(cell, endpoint.name());
        }
    }

    private void remove(String cell, String name) {
        NavigableSet<String> names = byCell.get(cell);
        if (names != null) {
            names.remove(name);
        }
    }

    private Compute primaryOf(Endpoint endpoint) {
        if (endpoint.status() == null || endpoint.status().compute() == null) {
            return null;
        }
        return cache.computes.get(endpoint.status().compute()).orElse(null);
    }
}
