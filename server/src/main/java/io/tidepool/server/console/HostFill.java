package io.tidepool.server.console;

import io.tidepool.api.quantity.Cu;
import io.tidepool.api.resource.Host;

/**
 * How full a host is: the CU its ledger has allocated against what it can hold.
 *
 * @param fill allocated / capacity, 0 while the capacity is not known yet
 * @param free what is left to allocate
 */
public record HostFill(String name, String cell, Cu allocatedCu, Cu capacityCu, Cu free, double fill, boolean ready,
                       boolean unschedulable) {

    static HostFill of(Host host) {
        Host.Status s = host.status();
        Cu allocated = s == null || s.allocatedCu() == null ? Cu.ZERO : s.allocatedCu();
        Cu capacity = s == null || s.capacityCu() == null ? Cu.ZERO : s.capacityCu();
        double fill = capacity.isZero() ? 0 : (double) allocated.quarters() / capacity.quarters();
        Cu free = allocated.compareTo(capacity) >= 0 ? Cu.ZERO : capacity.minus(allocated);
        return new HostFill(host.name(), host.spec().cell(), allocated, capacity, free, fill,
                s != null && Boolean.TRUE.equals(s.ready()), Boolean.TRUE.equals(host.spec().unschedulable()));
    }

    /** Fullest first, then by name. */
    static int fullestFirst(HostFill a, HostFill b) {
        int byFill = Double.compare(b.fill(), a.fill());
        return byFill != 0 ? byFill : a.name().compareTo(b.name());
    }
}
