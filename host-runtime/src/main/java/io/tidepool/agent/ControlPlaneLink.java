package io.tidepool.agent;

import io.tidepool.api.agent.ComputeMetrics;
import io.tidepool.api.agent.UpscaleRequest;
import io.tidepool.api.resource.Compute;
import io.tidepool.api.resource.Host;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Everything a host agent says to and hears from the control plane. The real agent speaks it over
 * the REST API with its own token; simulated hosts use an in-process implementation; the agent's
 * logic is the same for both. Methods throw {@link UnreachableException} when the control plane
 * cannot be reached, which the agent treats as a missed heartbeat.
 */
public interface ControlPlaneLink {

    /** Creates the host if it does not exist; an existing host keeps its spec. */
    void register(Host host);

    /** The computes the store assigns to {@code host} now: the only ones it may run. */
    List<Compute> assigned(String host);

    /**
     * Records what the agent observes of a compute, without touching its spec. False when the
     * compute is gone (the agent then stops it).
     */
    boolean report(String compute, Compute.Status status);

    /** Says the host is alive, with the latest metrics of its running computes (by compute name). */
    void heartbeat(String host, Instant at, Map<String, ComputeMetrics> metrics);

    /**
     * Passes on a guest's call for memory at once, without waiting for the next heartbeat. May be
     * called from any thread, while a round runs.
     */
    void requestUpscale(String compute, UpscaleRequest request);

    /** The control plane could not be reached. */
    final class UnreachableException extends RuntimeException {
        public UnreachableException(String message) {
            super(message);
        }
    }
}
