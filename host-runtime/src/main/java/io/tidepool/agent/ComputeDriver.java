package io.tidepool.agent;

import io.tidepool.api.agent.ComputeMetrics;
import io.tidepool.api.agent.UpscaleRequest;
import io.tidepool.api.quantity.Cu;
import io.tidepool.api.resource.Compute;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * What runs computes on one host: the sim driver, and the process driver of real Postgres in
 * cgroups. A resize is done only when the driver and the guest confirm it; a downscale the guest
 * refuses leaves the compute at its size.
 */
public interface ComputeDriver {

    /** Starts the compute at its spec's size; a no-op when it runs already. */
    void start(Compute compute, Instant now);

    /**
     * The compute as the store has it now, each round the driver runs it: what a driver must do
     * when a compute's role changes happens here (the process driver starts a promoted
     * replacement's Postgres). Idempotent. By default nothing: a compute that runs serves in
     * whatever role it is given.
     */
    default void follow(Compute compute, Instant now) {
    }

    /** Resizes a running compute: upscales are applied, downscales first asked of the guest. */
    ResizeOutcome resize(String compute, Cu target, Instant now);

    /** Stops the compute and releases what it holds on the host; its data stays. */
    void stop(String compute, Instant now);

    /** The computes this driver runs (or is starting). */
    Set<String> running();

    /** What the driver sees of a compute now; empty when it does not run it. */
    Optional<Observed> observe(String compute, Instant now);

    /**
     * Where guests' calls for memory go, the moment they are made (from the driver's own threads).
     * Drivers without guests never call it.
     */
    default void onUpscaleRequest(BiConsumer<String, UpscaleRequest> listener) {
    }

    /**
     * Told, from the driver's own threads, when something {@link #observe} shows has changed with
     * no call to the driver: a boot finished, a standby took over. The agent's loop then reports it
     * at once rather than at its next round, which is what a switchover's and a resume's pause wait
     * for. Drivers whose computes change only within calls never call it.
     */
    default void onChange(Runnable listener) {
    }

    /** The compute's latest metrics, as its guest agent measures them. */
    Optional<ComputeMetrics> metrics(String compute, Instant now);

    /**
     * @param warm    whether the compute is ready to take over its endpoint (what that takes is
     *                the driver's to say)
     * @param failure why a Failed compute cannot run, when the driver knows; else null
     */
    record Observed(Compute.Phase phase, Cu cu, String address, boolean warm, String failure) {
        public Observed(Compute.Phase phase, Cu cu, String address, boolean warm) {
            this(phase, cu, address, warm, null);
        }
    }

    /** @param applied the size the compute has after the attempt */
    record ResizeOutcome(Cu applied, boolean refused, String explanation) {
    }
}
