package io.tidepool.guest;

import io.tidepool.api.quantity.Cu;
import java.util.Optional;

/**
 * The guest's answer to a downscale: it agrees only when what the compute holds and could not give
 * back (anonymous memory, shared buffers) fits the new size with a margin left for the next
 * moments' growth; otherwise Postgres would be OOM-killed or squeezed into swapping its cache.
 */
public final class DownscaleCheck {
    /** The share of the new size kept free. */
    public static final double MARGIN = 0.1;
    private static final double GIB = 1L << 30;

    private DownscaleCheck() {
    }

    /** Why the downscale to {@code target} is refused, or empty when it fits. */
    public static Optional<String> refusal(long unreclaimableBytes, Cu target) {
        long room = (long) (target.memory().value() * (1 - MARGIN));
        if (unreclaimableBytes <= room) {
            return Optional.empty();
        }
        return Optional.of(String.format("%.2f GiB in use does not fit %s CU with a %d%% margin",
                unreclaimableBytes / GIB, target, (int) (MARGIN * 100)));
    }
}
