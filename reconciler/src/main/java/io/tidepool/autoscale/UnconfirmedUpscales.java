package io.tidepool.autoscale;

import io.tidepool.api.quantity.Cu;
import io.tidepool.api.resource.Compute;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Upscales granted whose host has not yet confirmed the size, to time them from their start to
 * that confirmation. Soft state of the term, at most one entry per compute; the caller gives every
 * instant, so this reads no clock. A second grant before the first is confirmed extends the first:
 * the operator has waited since the earlier start.
 */
final class UnconfirmedUpscales {
    /** @param since when the need reached the leader: the guest's call for memory, or the decision */
    record Upscale(Cu target, ScalingDecision.Reason reason, Instant since) {
    }

    record Confirmed(ScalingDecision.Reason reason, Duration took) {
    }

    private final Map<String, Upscale> byCompute = new ConcurrentHashMap<>();

    /**
     * Records a grant about to be written; returns what was recorded before, for {@link #undo} if
     * the write fails. Record before writing: the host may confirm as soon as the write commits.
     */
    Upscale granting(String compute, Cu target, ScalingDecision.Reason reason, Instant since) {
        Upscale fresh = new Upscale(target, reason, since);
        Upscale[] previous = new Upscale[1];
        byCompute.compute(compute, (name, held) -> {
            previous[0] = held;
            return held == null ? fresh : new Upscale(held.target().max(target), held.reason(), held.since());
        });
        return previous[0];
    }

    /** The grant was not written: what was recorded before it stands. */
    void undo(String compute, Upscale previous) {
        if (previous == null) {
            byCompute.remove(compute);
        } else {
            byCompute.put(compute, previous);
        }
    }

    /**
     * Looks at a compute as the leader now sees it: confirmed once its status reports the granted
     * size or more; dropped, unconfirmed, once its granted size went below the target (a downscale
     * or a put-back overtook it).
     */
    Optional<Confirmed> observe(Compute compute, Instant now) {
        Upscale upscale = byCompute.get(compute.name());
        if (upscale == null) {
            return Optional.empty();
        }
        Cu applied = compute.status() == null ? null : compute.status().cu();
        if (applied != null && applied.compareTo(upscale.target()) >= 0) {
            if (!byCompute.remove(compute.name(), upscale)) {
                return Optional.empty(); // another look confirmed it meanwhile
            }
            Duration took = Duration.between(upscale.since(), now);
            return Optional.of(new Confirmed(upscale.reason(), took.isNegative() ? Duration.ZERO : took));
        }
        if (compute.spec().cu() != null && compute.spec().cu().compareTo(upscale.target()) < 0) {
            byCompute.remove(compute.name(), upscale);
        }
        return Optional.empty();
    }

    void forget(String compute) {
        byCompute.remove(compute);
    }

    int size() {
        return byCompute.size();
    }
}
