package io.tidepool.buffer;

import io.tidepool.api.quantity.Cu;
import io.tidepool.api.resource.Cell;
import io.tidepool.api.resource.Condition;
import io.tidepool.api.resource.Host;
import io.tidepool.capacity.HostCapacity;
import io.tidepool.capacity.HostRoom;
import io.tidepool.capacity.Ledger;
import io.tidepool.control.Conditions;
import io.tidepool.control.FleetCache;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The hosts of one cell as the buffer sees them, read from the fleet cache: what the decision
 * needs ({@link #input}) and what the cell reports ({@link #status}).
 */
final class CellHosts {
    private final Cell cell;
    private final List<BufferHost> hosts;
    private final int count;
    private final Cu capacity;
    private final Cu allocated;
    private final Duration untilJoinTimeout;

    private CellHosts(Cell cell, List<BufferHost> hosts, int count, Cu capacity, Cu allocated, Duration untilJoinTimeout) {
        this.cell = cell;
        this.hosts = hosts;
        this.count = count;
        this.capacity = capacity;
        this.allocated = allocated;
        this.untilJoinTimeout = untilJoinTimeout;
    }

    /**
     * @param provided    whether a provider makes hosts for the cell; without one no host is ever given back
     * @param joinTimeout how long a host the provider made may take to become ready before it counts as broken
     */
    static CellHosts read(FleetCache cache, Cell cell, ProvisioningState state, boolean provided, Duration joinTimeout, Instant now) {
        List<BufferHost> hosts = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Cu capacity = Cu.ZERO;
        Cu allocated = Cu.ZERO;
        Duration untilJoinTimeout = null;
        for (Host host : cache.hosts.byIndex(FleetCache.BY_CELL, cell.name())) {
            names.add(host.name());
            HostRoom room = HostCapacity.roomOf(host, cell);
            capacity = capacity.plus(room.capacity());
            allocated = allocated.plus(Ledger.allocated(host));
            boolean holdsCompute = !cache.computes.byIndex(FleetCache.BY_HOST, host.name()).isEmpty();
            Instant emptySince = state.emptySince(host.name(), holdsCompute, now);
            if (holdsCompute || !provided || !BufferReconciler.madeByProvider(host)) {
                // A host the provider did not make is never given back: to the decision it is as good as busy.
                hosts.add(BufferHost.busy(room));
                continue;
            }
            Duration joinLeft = joinLeft(host, joinTimeout, now);
            if (joinLeft != null) {
                hosts.add(BufferHost.joining(room, emptySince));
                untilJoinTimeout = untilJoinTimeout == null || joinLeft.compareTo(untilJoinTimeout) < 0 ? joinLeft : untilJoinTimeout;
            } else {
                hosts.add(BufferHost.empty(room, emptySince));
            }
        }
        state.keepOnly(names);
        return new CellHosts(cell, hosts, names.size(), capacity, allocated, untilJoinTimeout);
    }

    BufferInput input(ProvisioningState state, BufferReconciler.Settings settings) {
        Cell.Spec spec = cell.spec();
        Cu newHost = spec.hostTemplate() == null ? Cu.ZERO : HostCapacity.capacity(spec.hostTemplate(), spec.cpuOvercommit());
        return new BufferInput(cell.name(), spec.buffer().spareCu(), spec.maxHosts(), newHost, spec.watermark(), hosts,
                state.onTheWay(), state.health(), settings.coolDown(), settings.requestBackoff(),
                cell.status() == null ? List.of() : cell.status().conditions());
    }

    int count() {
        return count;
    }

    /** When the first joining host runs out of time to become ready, or null when none is joining. */
    Duration untilJoinTimeout() {
        return untilJoinTimeout;
    }

    /**
     * The cell's status after {@code decision}: the rollup, and the buffer's conditions set among
     * whatever others it has. A cell without a provider reports no {@code ProviderReady}.
     */
    Cell.Status status(BufferDecision decision, boolean provided) {
        List<Condition> conditions = cell.status() == null ? List.of() : cell.status().conditions();
        for (Condition condition : decision.conditions()) {
            if (provided || !condition.type().equals(BufferConditions.PROVIDER_READY)) {
                conditions = Conditions.set(conditions, condition);
            }
        }
        if (!provided) {
            conditions = conditions.stream().filter(c -> !c.type().equals(BufferConditions.PROVIDER_READY)).toList();
        }
        return new Cell.Status(count, capacity, allocated, decision.spare(), conditions);
    }

    /** Time left for a host the provider made to become ready: null when it is ready, has been heard from, or is out of time. */
    private static Duration joinLeft(Host host, Duration joinTimeout, Instant now) {
        Host.Status status = host.status();
        boolean heardFrom = status != null && (Boolean.TRUE.equals(status.ready()) || status.lastHeartbeat() != null);
        Instant created = host.metadata().creationTimestamp();
        if (heardFrom || created == null) {
            return null;
        }
        Duration left = Duration.between(now, created.plus(joinTimeout));
        return left.isNegative() || left.isZero() ? null : left;
    }
}
