package io.tidepool.forecast;

import io.tidepool.api.quantity.Cu;
import io.tidepool.api.resource.Cell;
import io.tidepool.api.resource.Compute;
import io.tidepool.api.resource.Endpoint;
import io.tidepool.api.resource.Host;
import io.tidepool.capacity.HostCapacity;
import io.tidepool.capacity.HostRoom;
import io.tidepool.placement.BestFit;
import io.tidepool.placement.PlacementNeed;
import io.tidepool.placement.PlacementPlan;
import io.tidepool.placement.PlacementRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What the fleet will do about a manifest set before it is applied ({@code tidepool plan}), pure:
 * where new endpoints go (the placement decision itself, over the hosts' ledgers as they stand,
 * after what pruning frees), whether each cell's capacity and buffer suffice, how many hosts its
 * provider would add, and which restarts wait for which window.
 */
public final class Forecast {

    /**
     * @param declared the endpoint as the manifests declare it
     * @param live     the endpoint as stored, or null when new
     * @param primary  its primary compute, or null when it has none
     */
    public record EndpointChange(Endpoint declared, Endpoint live, Compute primary) {
    }

    /**
     * @param cells    every cell involved, as it will be after the apply
     * @param hosts    the stored hosts of those cells
     * @param changes  the endpoints the manifests declare
     * @param waiting  stored endpoints, not in the manifests, that still wait for a host (they compete for room)
     * @param pruned   endpoints the apply would delete (their room is freed first)
     */
    public record Input(Collection<Cell> cells, Collection<Host> hosts, List<EndpointChange> changes,
                        List<Endpoint> waiting, List<Endpoint> pruned) {
    }

    /** What happens to one endpoint, in words; {@code fits} false when it will find no room. */
    public record EndpointOutcome(String endpoint, String explanation, boolean fits) {
    }

    /**
     * @param provisioned hosts the provider would add (for room and for the buffer)
     * @param fits        whether every endpoint of the cell that needs a host gets one
     */
    public record CellOutcome(String cell, int hosts, Cu capacity, Cu allocatedBefore, Cu allocatedAfter, Cu spare,
                              Cu bufferTarget, int provisioned, boolean fits, String explanation) {
    }

    public record Result(List<EndpointOutcome> endpoints, List<CellOutcome> cells) {
        public boolean fits() {
            return endpoints.stream().allMatch(EndpointOutcome::fits) && cells.stream().allMatch(CellOutcome::fits);
        }
    }

    private Forecast() {
    }

    public static Result of(Input in, Instant now) {
        List<EndpointOutcome> endpoints = new ArrayList<>();
        List<CellOutcome> cells = new ArrayList<>();
        for (Cell cell : in.cells()) {
            CellForecast forecast = new CellForecast(cell, in.hosts().stream()
                    .filter(h -> cell.name().equals(h.spec().cell())).toList());
            in.pruned().stream().filter(e -> inCell(e, cell)).forEach(e -> endpoints.add(forecast.release(e)));
            List<PlacementRequest> requests = new ArrayList<>();
            for (EndpointChange change : in.changes()) {
                if (!inCell(change.declared(), cell)) {
                    continue;
                }
                if (needsHost(change)) {
                    requests.add(new PlacementRequest(change.declared().name(), PlacementNeed.startingSize(change.declared())));
                    continue;
                }
                if (change.declared().spec().equals(change.live().spec())) {
                    continue;
                }
                List<EndpointOutcome> done = new ArrayList<>();
                forecast.growth(change).ifPresent(done::add);
                RestartForecast.of(change, now).ifPresent(text -> done.add(new EndpointOutcome(change.declared().name(), text, true)));
                endpoints.addAll(done.isEmpty() ? List.of(new EndpointOutcome(change.declared().name(), "stays on "
                        + change.live().status().host() + ": the change applies in place", true)) : done);
            }
            in.waiting().stream().filter(e -> inCell(e, cell))
                    .forEach(e -> requests.add(new PlacementRequest(e.name(), PlacementNeed.startingSize(e))));
            endpoints.addAll(forecast.place(requests));
            cells.add(forecast.outcome());
        }
        return new Result(endpoints, cells);
    }

    private static boolean inCell(Endpoint endpoint, Cell cell) {
        return cell.name().equals(endpoint.spec().cell());
    }

    /** A new endpoint, one not placed yet, or one that moves to another cell. */
    private static boolean needsHost(EndpointChange change) {
        Endpoint live = change.live();
        return live == null || live.status() == null || live.status().host() == null
                || !Objects.equals(live.spec().cell(), change.declared().spec().cell());
    }

    /** One cell's hosts as the forecast fills them. */
    private static final class CellForecast {
        private final Cell cell;
        private final Map<String, HostRoom> rooms = new LinkedHashMap<>();
        private final Set<String> newHosts = new HashSet<>();
        private final Cu allocatedBefore;
        private int provisioned;
        private boolean fits = true;

        CellForecast(Cell cell, List<Host> hosts) {
            this.cell = cell;
            hosts.forEach(h -> rooms.put(h.name(), HostCapacity.roomOf(h, cell)));
            allocatedBefore = allocated();
        }

        EndpointOutcome release(Endpoint endpoint) {
            Endpoint.Status status = endpoint.status();
            if (status == null || status.host() == null || status.cu() == null || !rooms.containsKey(status.host())) {
                return new EndpointOutcome(endpoint.name(), "pruned: deleted, it held no host", true);
            }
            HostRoom room = rooms.get(status.host());
            rooms.put(room.host(), room.withAllocated(room.allocated().minus(min(status.cu(), room.allocated()))));
            return new EndpointOutcome(endpoint.name(), "pruned: deleted, frees " + status.cu() + " CU on " + status.host(), true);
        }

        /** A placed endpoint whose new minimum is above what it runs with: admission must grant the difference on its host. */
        Optional<EndpointOutcome> growth(EndpointChange change) {
            Endpoint declared = change.declared();
            Cu running = change.primary() == null ? null : change.primary().spec().cu();
            Cu minCu = declared.spec().compute().minCu();
            String host = change.live().status().host();
            if (running == null || running.compareTo(minCu) >= 0 || !rooms.containsKey(host)) {
                return Optional.empty();
            }
            Cu delta = minCu.minus(running);
            HostRoom room = rooms.get(host);
            if (room.free().compareTo(delta) < 0) {
                return Optional.of(new EndpointOutcome(declared.name(), "grows from " + running + " to its new minimum " + minCu
                        + " CU as " + host + " makes room (" + room.free() + " CU free now); the migration controller moves "
                        + "computes off it", true));
            }
            rooms.put(host, room.withAllocated(room.allocated().plus(delta)));
            return Optional.of(new EndpointOutcome(declared.name(), "grows from " + running + " to " + minCu + " CU on " + host, true));
        }

        List<EndpointOutcome> place(List<PlacementRequest> requests) {
            List<EndpointOutcome> outcomes = new ArrayList<>();
            PlacementPlan plan = BestFit.plan(requests, rooms.values());
            plan.hostsAfter().forEach(rooms::put);
            plan.assignments().forEach(a -> outcomes.add(new EndpointOutcome(a.endpoint(), a.explanation(), true)));
            List<PlacementRequest> left = plan.unplaced().stream().map(u -> new PlacementRequest(u.endpoint(), u.cu())).toList();
            if (left.isEmpty()) {
                return outcomes;
            }
            Map<String, String> reasons = new LinkedHashMap<>();
            plan.unplaced().forEach(u -> reasons.put(u.endpoint(), u.reason()));
            PlacementPlan onNewHosts = placeOnNewHosts(left);
            onNewHosts.assignments().forEach(a -> outcomes.add(new EndpointOutcome(a.endpoint(), "placed " + a.cu()
                    + " CU on a host the " + cell.spec().provider().type() + " provider adds (" + a.host() + "): "
                    + reasons.get(a.endpoint()), true)));
            for (PlacementPlan.Unplaced unplaced : onNewHosts.unplaced()) {
                fits = false;
                outcomes.add(new EndpointOutcome(unplaced.endpoint(), "will not fit: " + reasons.get(unplaced.endpoint())
                        + providerLimit(), false));
            }
            return outcomes;
        }

        /** Hosts of the cell's template, as many as its provider may add, for what found no room. */
        private PlacementPlan placeOnNewHosts(List<PlacementRequest> left) {
            int allowed = providesHosts() ? Math.max(0, cell.spec().maxHosts() - rooms.size()) : 0;
            Cu capacity = HostCapacity.capacity(cell.spec().hostTemplate(), cell.spec().cpuOvercommit());
            Map<String, HostRoom> added = new LinkedHashMap<>();
            PlacementPlan plan = BestFit.plan(left, List.of());
            for (int i = 1; i <= allowed && !plan.unplaced().isEmpty(); i++) {
                String name = "new host " + i;
                added.put(name, new HostRoom(name, capacity, Cu.ZERO, HostCapacity.watermark(capacity, cell.spec().watermark()), true));
                plan = BestFit.plan(left, added.values());
            }
            plan.hostsAfter().forEach(rooms::put);
            newHosts.addAll(added.keySet());
            provisioned += added.size();
            return plan;
        }

        CellOutcome outcome() {
            Cu spare = spare();
            Cu target = cell.spec().buffer().spareCu();
            String explanation = "spare " + spare + " CU, buffer " + target + " CU";
            if (spare.compareTo(target) < 0) {
                Cu capacity = HostCapacity.capacity(cell.spec().hostTemplate(), cell.spec().cpuOvercommit());
                Cu perHost = HostCapacity.watermark(capacity, cell.spec().watermark());
                long wanted = perHost.quarters() == 0 ? 0 : -Math.floorDiv(-(target.minus(spare).quarters()), perHost.quarters());
                int room = providesHosts() ? Math.max(0, cell.spec().maxHosts() - rooms.size()) : 0;
                int more = (int) Math.min(wanted, room);
                provisioned += more;
                explanation += more > 0 ? ": the provider would add " + more + (more == 1 ? " host" : " hosts") + " of "
                        + cell.spec().hostTemplate().cpus() + " cpus, " + cell.spec().hostTemplate().memory() + " to refill it"
                        : ": short by " + target.minus(spare) + " CU" + providerLimit() + " (starts and upscales still go ahead "
                        + "while there is room)";
            } else {
                explanation += ": enough";
            }
            if (provisioned > 0 && spare.compareTo(target) >= 0) {
                explanation += "; the provider would add " + provisioned + (provisioned == 1 ? " host" : " hosts");
            }
            return new CellOutcome(cell.name(), rooms.size() - newHosts.size(),
                    capacity(), allocatedBefore, allocated(), spare, target, provisioned, fits, explanation);
        }

        private boolean providesHosts() {
            return cell.spec().provider().type() != Cell.ProviderType.STATIC;
        }

        private String providerLimit() {
            return providesHosts() ? " (the provider may add no more than maxHosts " + cell.spec().maxHosts() + ")"
                    : " (a static cell grows only when host agents register in it)";
        }

        private Cu allocated() {
            return Cu.ofQuarters(rooms.values().stream().mapToLong(r -> r.allocated().quarters()).sum());
        }

        private Cu capacity() {
            return Cu.ofQuarters(rooms.values().stream().filter(r -> !newHosts.contains(r.host()))
                    .mapToLong(r -> r.capacity().quarters()).sum());
        }

        private Cu spare() {
            return Cu.ofQuarters(rooms.values().stream().filter(HostRoom::schedulable)
                    .mapToLong(r -> r.freeBelowWatermark().quarters()).sum());
        }

        private static Cu min(Cu a, Cu b) {
            return a.compareTo(b) <= 0 ? a : b;
        }
    }
}
