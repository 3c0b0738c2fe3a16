package io.tidepool.placement;

import io.tidepool.api.quantity.Cu;
import io.tidepool.api.resource.Compute;
import io.tidepool.api.resource.Endpoint;

/** Which endpoints need a primary compute placed, and how big it starts: pure. */
public final class PlacementNeed {

    private PlacementNeed() {
    }

    /**
     * An endpoint needs a compute when it has none (never placed, or its compute was removed with
     * a failed host), unless it is suspended and nobody asked it to resume.
     *
     * @param primary the compute its status names, or null when that compute does not exist
     */
    public static boolean needsCompute(Endpoint endpoint, Compute primary) {
        Endpoint.Status status = endpoint.status();
        if (status != null && status.phase() == Endpoint.Phase.Suspended && status.resumeRequestedAt() == null) {
            return false;
        }
        return status == null || status.compute() == null || primary == null;
    }

    /** A compute starts at the endpoint's minimum (at least one step), and autoscale grows it from there. */
    public static Cu startingSize(Endpoint endpoint) {
        Cu min = endpoint.spec().compute() == null || endpoint.spec().compute().minCu() == null
                ? Cu.QUARTER : endpoint.spec().compute().minCu();
        return min.max(Cu.QUARTER);
    }
}
