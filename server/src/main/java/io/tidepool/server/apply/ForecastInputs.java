package io.tidepool.server.apply;

import io.tidepool.api.resource.Cell;
import io.tidepool.api.resource.Compute;
import io.tidepool.api.resource.Endpoint;
import io.tidepool.api.resource.Host;
import io.tidepool.api.resource.Kind;
import io.tidepool.api.resource.Resource;
import io.tidepool.forecast.Forecast;
import io.tidepool.manifests.apply.ApplyResponse;
import io.tidepool.placement.PlacementNeed;
import io.tidepool.registry.ResourceRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Reads what a {@link Forecast} of a manifest set needs from the store: the cells it touches (as
 * the set declares them), their hosts with their ledgers, the stored versions and primaries of
 * its endpoints, the endpoints that already wait for a host, and those it would prune.
 */
public final class ForecastInputs {
    private final ResourceRegistry registry;

    public ForecastInputs(ResourceRegistry registry) {
        this.registry = registry;
    }

    /** @param dryRun the dry-run answer for the same set, which says what it would prune */
    public Forecast.Input read(List<Resource> declared, ApplyResponse dryRun) {
        Map<String, Cell> cells = new LinkedHashMap<>();
        registry.listAll(Kind.CELL).forEach(c -> cells.put(c.name(), (Cell) c));
        declared.stream().filter(r -> r instanceof Cell).forEach(c -> cells.put(c.name(), (Cell) c));
        List<Endpoint> stored = registry.listAll(Kind.ENDPOINT).stream().map(Endpoint.class::cast).toList();
        Map<String, Compute> computes = registry.listAll(Kind.COMPUTE).stream()
                .collect(Collectors.toMap(Resource::name, c -> (Compute) c));
        Map<String, Endpoint> storedByName = stored.stream().collect(Collectors.toMap(Endpoint::name, e -> e));
        Set<String> prunedNames = dryRun.results().stream()
                .filter(r -> r.kind().equals(Kind.ENDPOINT.displayName()) && r.action().equals("pruned"))
                .map(ApplyResponse.ObjectResult::name).collect(Collectors.toSet());
        List<Forecast.EndpointChange> changes = new ArrayList<>();
        Set<String> involvedCells = new TreeSet<>();
        for (Resource resource : declared) {
            if (resource instanceof Endpoint endpoint) {
                Endpoint live = storedByName.get(endpoint.name());
                changes.add(new Forecast.EndpointChange(endpoint, live, primaryOf(live, computes)));
                involvedCells.add(endpoint.spec().cell());
            } else if (resource instanceof Cell cell) {
                involvedCells.add(cell.name());
            }
        }
        Set<String> declaredNames = changes.stream().map(c -> c.declared().name()).collect(Collectors.toSet());
        List<Endpoint> pruned = stored.stream().filter(e -> prunedNames.contains(e.name())).toList();
        pruned.forEach(e -> involvedCells.add(e.spec().cell()));
        List<Endpoint> waiting = stored.stream()
                .filter(e -> !declaredNames.contains(e.name()) && !prunedNames.contains(e.name()))
                .filter(e -> involvedCells.contains(e.spec().cell()))
                .filter(e -> PlacementNeed.needsCompute(e, primaryOf(e, computes)))
                .toList();
        List<Cell> involved = involvedCells.stream().map(cells::get).filter(c -> c != null).toList();
        List<Host> hosts = registry.listAll(Kind.HOST).stream().map(Host.class::cast)
                .filter(h -> involvedCells.contains(h.spec().cell())).toList();
        return new Forecast.Input(involved, hosts, changes, waiting, pruned);
    }

    private static Compute primaryOf(Endpoint endpoint, Map<String, Compute> computes) {
        if (endpoint == null || endpoint.status() == null || endpoint.status().compute() == null) {
            return null;
        }
        return computes.get(endpoint.status().compute());
    }
}
