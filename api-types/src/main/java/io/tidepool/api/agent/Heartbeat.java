package io.tidepool.api.agent;

import java.time.Instant;
import java.util.Map;

/**
 * What a host agent says every round: that its host is alive, with the latest metrics of the
 * computes it runs. The leader keeps it in memory only; it never goes through the store.
 *
 * @param at      when the agent sent it, by the agent's clock
 * @param metrics the latest sample of each running compute, by compute name
 */
public record Heartbeat(Instant at, Map<String, ComputeMetrics> metrics) {
    /** Most computes one heartbeat speaks for: far more than one host runs. */
    public static final int MAX_COMPUTES = 4096;

    public Heartbeat {
        if (at == null) {
            throw new IllegalArgumentException("a heartbeat needs the time it was sent (at)");
        }
        metrics = metrics == null ? Map.of() : metrics;
        if (metrics.size() > MAX_COMPUTES) {
            throw new IllegalArgumentException("a heartbeat speaks for at most " + MAX_COMPUTES + " computes, got "
                    + metrics.size());
        }
        metrics.forEach((compute, sample) -> {
            if (compute == null || compute.isEmpty() || sample == null) {
                throw new IllegalArgumentException("metrics need a compute name and a sample, got " + compute + ": " + sample);
            }
        });
        metrics = Map.copyOf(metrics);
    }
}
