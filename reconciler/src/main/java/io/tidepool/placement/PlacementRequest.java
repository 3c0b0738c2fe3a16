package io.tidepool.placement;

import io.tidepool.api.quantity.Cu;

/** An endpoint that needs a compute of {@code cu} in its cell. */
public record PlacementRequest(String endpoint, Cu cu) {
}
