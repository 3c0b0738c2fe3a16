package io.tidepool.sim.workload;

import java.time.Instant;

/**
 * What one tenant demands over time, for the sim driver. A workload is a pure function of time
 * and its parameters (including any seed): sampling it at any instants, in any order, any number
 * of times gives the same answers, so a simulation replays from its seed.
 */
public interface Workload {

    Demand at(Instant t);
}
