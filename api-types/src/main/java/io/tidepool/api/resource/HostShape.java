package io.tidepool.api.resource;

import io.tidepool.api.quantity.Bytes;
import io.tidepool.api.quantity.Cu;
import io.tidepool.api.quantity.MilliCpu;

/** The size of one host: how many CPUs and how much memory. */
public record HostShape(MilliCpu cpus, Bytes memory) {

    /** Whole quarter steps of CU this shape holds; memory is never overcommitted, so the smaller side wins. */
    public Cu capacityCu() {
        return Cu.fitting(cpus, memory);
    }

    /**
     * Whole quarter steps a host of this shape grants in a cell that lets computes' CPU add up to
     * {@code cpuOvercommit} times its CPUs; memory is never overcommitted.
     */
    public Cu capacityCu(double cpuOvercommit) {
        long millis = (long) Math.floor(cpus.millis() * cpuOvercommit);
        return Cu.fitting(new MilliCpu(millis), memory);
    }
}
