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
}
