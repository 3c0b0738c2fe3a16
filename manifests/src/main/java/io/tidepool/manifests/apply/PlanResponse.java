package io.tidepool.manifests.apply;

import io.tidepool.api.quantity.Cu;
import java.util.List;

/**
 * The answer of {@code POST /api/v1/plan}: what an apply would change ({@code changes}, as a dry
 * run answers it), and what the fleet would then do about it.
 *
 * @param fits whether everything the manifests declare would find room
 */
public record PlanResponse(ApplyResponse changes, List<EndpointLine> endpoints, List<CellLine> cells, boolean fits) {
    public PlanResponse {
        endpoints = endpoints == null ? List.of() : List.copyOf(endpoints);
        cells = cells == null ? List.of() : List.copyOf(cells);
    }

    /** One thing the fleet would do about one endpoint. */
    public record EndpointLine(String endpoint, String explanation, boolean fits) {
    }

    /**
     * A cell after the apply: its hosts' capacity and allocation before and after, the spare
     * below the watermark against the buffer, and the hosts its provider would add.
     */
    public record CellLine(String cell, int hosts, Cu capacity, Cu allocatedBefore, Cu allocatedAfter, Cu spare,
                           Cu bufferTarget, int provisioned, boolean fits, String explanation) {
    }
}
