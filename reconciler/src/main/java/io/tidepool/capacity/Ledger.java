package io.tidepool.capacity;

import io.tidepool.api.quantity.Cu;
import io.tidepool.api.resource.Compute;
import io.tidepool.api.resource.Host;
import java.util.Collection;

/**
 * The host ledger's arithmetic (docs/control-loop.md): a compute holds what it was granted, or what
 * it still runs with if that is more, so the ledger is never below what the host must provide.
 */
public final class Ledger {

    private Ledger() {
    }

    public static Cu holds(Compute compute) {
        Cu granted = compute.spec().cu() == null ? Cu.ZERO : compute.spec().cu();
        Cu running = compute.status() == null || compute.status().cu() == null ? Cu.ZERO : compute.status().cu();
        return granted.max(running);
    }

    public static Cu sum(Collection<Compute> computes) {
        Cu total = Cu.ZERO;
        for (Compute compute : computes) {
            total = total.plus(holds(compute));
        }
        return total;
    }

    public static Cu allocated(Host host) {
        return host.status() == null || host.status().allocatedCu() == null ? Cu.ZERO : host.status().allocatedCu();
    }

    /** The host with its ledger (and capacity, as placement counts it) set; other status kept. */
    public static Host withLedger(Host host, Cu allocated, Cu capacity) {
        Host.Status status = host.status();
        return host.withStatus(status == null
                ? new Host.Status(false, allocated, capacity, null, null)
                : new Host.Status(status.ready(), allocated, capacity, status.lastHeartbeat(), status.conditions()));
    }
}
