package io.tidepool.server.console;

import io.tidepool.api.quantity.Cu;
import io.tidepool.api.resource.Cell;
import io.tidepool.api.resource.Condition;
import io.tidepool.api.resource.HostShape;
import io.tidepool.control.ControlLoop;
import java.util.ArrayList;
import java.util.List;

/**
 * The cells page: per cell its capacity, allocation, buffer against its target, provider and
 * conditions, what the buffer and migration controllers last said (on the leader), and each host's
 * fill against its capacity and the watermark, fullest first. A cell of thousands of hosts shows
 * its fullest {@link #HOSTS_SHOWN}; the hosts page has the rest.
 */
public record CellsView(List<CellCard> cells, String note) {
    static final int HOSTS_SHOWN = 200;

    /**
     * @param bufferSpareCu the spare CU the cell must keep (its buffer); {@code status.spareCu} is what it has
     * @param notes         the leader's buffer and migration explanations for the cell
     */
    public record CellCard(String name, HostShape hostTemplate, double watermark, double cpuOvercommit, String provider,
                           int maxHosts, Cu bufferSpareCu, int hosts, Cu capacityCu, Cu allocatedCu, Cu spareCu,
                           List<Condition> conditions, List<String> notes, List<HostFill> fullestHosts, int hostsReady) {
    }

    static CellsView of(ConsoleIndex index, ControlLoop leader, String notLeadingNote) {
        List<HostFill> allHosts = index.hosts().stream().map(HostFill::of).sorted(HostFill::fullestFirst).toList();
        List<CellCard> cards = new ArrayList<>();
        for (Cell cell : index.cells()) {
            List<HostFill> hosts = allHosts.stream().filter(h -> cell.name().equals(h.cell())).toList();
            Cell.Spec spec = cell.spec();
            Cell.Status status = cell.status();
            Cu capacity = Cu.ZERO;
            Cu allocated = Cu.ZERO;
            for (HostFill host : hosts) {
                capacity = capacity.plus(host.capacityCu());
                allocated = allocated.plus(host.allocatedCu());
            }
            cards.add(new CellCard(cell.name(), spec.hostTemplate(), spec.watermark(), spec.cpuOvercommit(),
                    spec.provider().type().text(), spec.maxHosts(), spec.buffer().spareCu(), hosts.size(),
                    status != null && status.capacityCu() != null ? status.capacityCu() : capacity,
                    status != null && status.allocatedCu() != null ? status.allocatedCu() : allocated,
                    status == null ? null : status.spareCu(),
                    status == null ? List.of() : status.conditions(), notes(cell.name(), leader),
                    hosts.subList(0, Math.min(HOSTS_SHOWN, hosts.size())),
                    (int) hosts.stream().filter(HostFill::ready).count()));
        }
        return new CellsView(cards, leader == null ? notLeadingNote : null);
    }

    private static List<String> notes(String cell, ControlLoop leader) {
        if (leader == null) {
            return List.of();
        }
        List<String> notes = new ArrayList<>();
        leader.buffer().lastDecision(cell).ifPresent(d -> notes.add("buffer: " + d.explanation()));
        leader.migrator().lastPlan(cell).ifPresent(plan -> {
            plan.overWatermark().forEach(o -> notes.add("migration: " + o.explanation()));
            plan.moves().forEach(m -> notes.add("migration: " + m.explanation()));
        });
        return notes;
    }
}
