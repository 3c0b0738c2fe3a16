package io.tidepool.capacity;

import io.tidepool.api.quantity.Cu;
import io.tidepool.api.resource.Cell;
import io.tidepool.api.resource.Host;
import io.tidepool.api.resource.HostShape;

/** How much of a host the ledger may grant: the rules of DESIGN section 6, in one place. */
public final class HostCapacity {

    private HostCapacity() {
    }

    /** Memory in whole quarter steps, capped by the CPUs times {@code cpuOvercommit}. */
    public static Cu capacity(HostShape shape, double cpuOvercommit) {
        return shape.capacityCu(cpuOvercommit);
    }

    /** The allocation above which a host sheds computes: {@code watermark} of its capacity, in whole steps. */
    public static Cu watermark(Cu capacity, double watermark) {
        return Cu.ofQuarters((long) Math.floor(capacity.quarters() * watermark));
    }

    /** The host as placement sees it, in its cell. */
    public static HostRoom roomOf(Host host, Cell cell) {
        Cu capacity = capacity(host.spec().capacity(), cell.spec().cpuOvercommit());
        Cu allocated = host.status() == null || host.status().allocatedCu() == null ? Cu.ZERO : host.status().allocatedCu();
        boolean ready = host.status() != null && Boolean.TRUE.equals(host.status().ready());
        return new HostRoom(host.name(), capacity, allocated, watermark(capacity, cell.spec().watermark()),
                ready && !host.spec().unschedulable());
    }
}
