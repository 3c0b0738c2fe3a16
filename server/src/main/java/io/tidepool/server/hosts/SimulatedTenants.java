package io.tidepool.server.hosts;

import io.tidepool.agent.ComputeDriver;
import io.tidepool.sim.SimDriver;
import io.tidepool.sim.workload.FastForward;
import io.tidepool.sim.workload.Workload;
import io.tidepool.sim.workload.Workloads;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;

/**
 * What the tenants on {@code up}'s simulated hosts do: each endpoint gets a workload from the seeded
 * mix (by its name, so the same endpoint behaves the same on every run), played {@link #SPEED} times
 * faster than the clock, so that a day's rhythm, bursts and memory-hungry jobs show within minutes
 * while the controllers decide on real time.
 */
public final class SimulatedTenants {
    public static final int SPEED = 12;
    public static final long SEED = 1;
    /** How long a simulated compute takes to start. */
    public static final Duration START_DELAY = Duration.ofSeconds(2);

    private SimulatedTenants() {
    }

    /** The sim driver of each host, by host name; workloads count from {@code start}. */
    public static Function<String, ComputeDriver> drivers(Instant start) {
        Workloads mix = Workloads.mix(SEED, start);
        Function<String, Workload> workloads = endpoint -> new FastForward(mix.of(endpoint), start, SPEED);
        return host -> new SimDriver(host, workloads, START_DELAY);
    }
}
