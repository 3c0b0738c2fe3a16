package io.tidepool.capacity;

import io.tidepool.api.quantity.Cu;

/**
 * One host as placement and admission see it: what it can hold, what its ledger has granted, and
 * the level above which it sheds computes.
 *
 * @param capacity    memory in CU (never overcommitted), capped by CPUs times the cell's overcommit
 * @param allocated   the host's ledger: at least what its computes hold
 * @param watermark   the allocation above which the host sheds computes by migration
 * @param schedulable ready, and not marked unschedulable: new computes may go there
 */
public record HostRoom(String host, Cu capacity, Cu allocated, Cu watermark, boolean schedulable) {

    /** What the host can still grant. */
    public Cu free() {
        return allocated.compareTo(capacity) >= 0 ? Cu.ZERO : capacity.minus(allocated);
    }

    /** What the host can still grant without going above its watermark. */
    public Cu freeBelowWatermark() {
        return allocated.compareTo(watermark) >= 0 ? Cu.ZERO : watermark.minus(allocated);
    }

    public boolean aboveWatermark() {
        return allocated.compareTo(watermark) > 0;
    }

    public HostRoom withAllocated(Cu newAllocated) {
        return new HostRoom(host, capacity, newAllocated, watermark, schedulable);
    }
}
