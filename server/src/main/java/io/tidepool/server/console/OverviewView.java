package io.tidepool.server.console;

import io.tidepool.api.quantity.Cu;
import io.tidepool.api.resource.Endpoint;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/** The front page: the fleet in numbers, which node answers and which leads. */
public record OverviewView(String node, String leader, long revision, int cells, int hosts, int hostsReady,
                           Cu capacityCu, Cu allocatedCu, int endpoints, Map<String, Integer> endpointsByPhase,
                           int migrationsUnderWay, int restartsUnderWay) {

    static OverviewView of(ConsoleIndex index, String node, String leader) {
        int ready = 0;
        Cu capacity = Cu.ZERO;
        Cu allocated = Cu.ZERO;
        for (var host : index.hosts()) {
            HostFill fill = HostFill.of(host);
            ready += fill.ready() ? 1 : 0;
            capacity = capacity.plus(fill.capacityCu());
            allocated = allocated.plus(fill.allocatedCu());
        }
        Map<Endpoint.Phase, Integer> byPhase = new EnumMap<>(Endpoint.Phase.class);
        for (EndpointRow row : index.endpoints().values()) {
            byPhase.merge(row.phase(), 1, Integer::sum);
        }
        Map<String, Integer> phases = new LinkedHashMap<>();
        for (Endpoint.Phase phase : Endpoint.Phase.values()) {
            phases.put(phase.name(), byPhase.getOrDefault(phase, 0));
        }
        int migrations = (int) index.migrations().stream().filter(MovesView::underWay).count();
        int restarts = (int) index.computes().stream().filter(c -> "restart".equals(c.purpose())).count();
        return new OverviewView(node, leader, index.revision(), index.cells().size(), index.hosts().size(), ready,
                capacity, allocated, index.endpoints().size(), phases, migrations, restarts);
    }
}
