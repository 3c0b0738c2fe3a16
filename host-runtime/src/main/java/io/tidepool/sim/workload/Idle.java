package io.tidepool.sim.workload;

import java.time.Instant;

/** A database nobody uses: the same small demand at every instant. Most of a fleet looks like this. */
public record Idle(Demand demand) implements Workload {
    /** Postgres with its background workers and a few MiB of hot catalog pages. */
    public static final Idle TYPICAL = new Idle(Demand.ofMebibytes(0.02, 150, 60));

    @Override
    public Demand at(Instant t) {
        return demand;
    }
}
