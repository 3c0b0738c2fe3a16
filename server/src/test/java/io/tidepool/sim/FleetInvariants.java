package io.tidepool.sim;

import io.tidepool.agent.HostAgent;
import io.tidepool.api.quantity.Cu;
import io.tidepool.api.resource.Cell;
import io.tidepool.api.resource.Compute;
import io.tidepool.api.resource.Endpoint;
import io.tidepool.api.resource.Host;
import io.tidepool.api.resource.Kind;
import io.tidepool.capacity.HostCapacity;
import io.tidepool.capacity.HostRoom;
import io.tidepool.capacity.Ledger;
import io.tidepool.placement.PlacementNeed;
import io.tidepool.registry.ResourceRegistry;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What must hold after every step of a simulated fleet, read from the store itself (not from a
 * controller's cache) and from the simulated hosts. Each check returns the violations it found.
 */
final class FleetInvariants {
    private final ResourceRegistry registry;

    FleetInvariants(ResourceRegistry registry) {
        this.registry = registry;
    }

    /** Memory is never overcommitted: on no host do the computes hold more than its capacity, nor does its ledger. */
    List<String> noHostOvercommitted() {
        List<String> violations = new ArrayList<>();
        Map<String, Cell> cells = byName(Kind.CELL, Cell.class);
        Map<String, List<Compute>> byHost = computesByHost();
        for (Host host : byName(Kind.HOST, Host.class).values()) {
            Cell cell = cells.get(host.spec().cell());
            Cu capacity = HostCapacity.capacity(host.spec().capacity(), cell.spec().cpuOvercommit());
            Cu held = Ledger.sum(byHost.getOrDefault(host.name(), List.of()));
            if (held.compareTo(capacity) > 0) {
                violations.add(host.name() + ": computes hold " + held + " CU > capacity " + capacity);
            }
            if (Ledger.allocated(host).compareTo(capacity) > 0) {
                violations.add(host.name() + ": ledger " + Ledger.allocated(host) + " CU > capacity " + capacity);
            }
            if (Ledger.allocated(host).compareTo(held) < 0) {
                violations.add(host.name() + ": ledger " + Ledger.allocated(host) + " CU < held " + held);
            }
        }
        return violations;
    }

    /** Every compute's granted size, and what it runs with, lies within its endpoint's bounds. */
    List<String> computesWithinBounds() {
        List<String> violations = new ArrayList<>();
        Map<String, Endpoint> endpoints = byName(Kind.ENDPOINT, Endpoint.class);
        for (Compute compute : byName(Kind.COMPUTE, Compute.class).values()) {
            Endpoint endpoint = endpoints.get(compute.spec().endpoint());
            if (endpoint == null) {
                violations.add(compute.name() + ": its endpoint is gone");
                continue;
            }
            Cu min = endpoint.spec().compute().minCu();
            Cu max = endpoint.spec().compute().maxCu();
            Cu granted = compute.spec().cu();
            if (granted.compareTo(min.max(Cu.QUARTER)) < 0 || granted.compareTo(max) > 0) {
                violations.add(compute.name() + ": " + granted + " CU outside [" + min + ", " + max + "]");
            }
        }
        return violations;
    }

    /**
     * At most one primary per endpoint runs on the hosts: a compute runs as primary when the store
     * has it as its endpoint's current compute, and any other compute of the endpoint running on a
     * host that can hear the control plane must have been stopped by that host's last round.
     */
    List<String> atMostOnePrimary(Iterable<HostAgent> agents, Set<String> cutOff) {
        List<String> violations = new ArrayList<>();
        Map<String, Compute> computes = byName(Kind.COMPUTE, Compute.class);
        Map<String, List<String>> runningByEndpoint = new HashMap<>();
        for (HostAgent agent : agents) {
            for (String running : agent.driver().running()) {
                Compute compute = computes.get(running);
                boolean current = compute != null && compute.spec().host().equals(agent.name());
                if (!current && !cutOff.contains(agent.name())) {
                    violations.add(agent.name() + " still runs " + running + ", which the store no longer assigns to it");
                }
                if (compute != null && compute.spec().role() == Compute.Role.fenced && !cutOff.contains(agent.name())) {
                    violations.add(agent.name() + " still runs " + running + ", which is fenced");
                }
                // A fenced or deleted primary still running counts: only a host that can hear the
                // control plane has stopped it, and its replacement must not be promoted before that.
                if (compute != null && compute.spec().role() != Compute.Role.replacement) {
                    runningByEndpoint.computeIfAbsent(compute.spec().endpoint(), e -> new ArrayList<>())
                            .add(agent.name() + "/" + running);
                } else if (compute == null) {
                    String endpoint = running.substring(0, running.lastIndexOf('-'));
                    runningByEndpoint.computeIfAbsent(endpoint, e -> new ArrayList<>()).add(agent.name() + "/" + running);
                }
            }
        }
        runningByEndpoint.forEach((endpoint, running) -> {
            if (running.size() > 1) {
                violations.add(endpoint + " has " + running.size() + " primaries running: " + running);
            }
        });
        return violations;
    }

    /**
     * The store never holds two primaries of one endpoint, and an endpoint claims its primary (or
     * that primary fenced for a switch), never a replacement, at the primary's epoch.
     */
    List<String> onePrimaryPerEndpointInStore() {
        List<String> violations = new ArrayList<>();
        Map<String, List<String>> primaries = new HashMap<>();
        Map<String, Compute> computes = byName(Kind.COMPUTE, Compute.class);
        for (Compute compute : computes.values()) {
            if (compute.spec().role() == Compute.Role.primary) {
                primaries.computeIfAbsent(compute.spec().endpoint(), e -> new ArrayList<>()).add(compute.name());
            }
        }
        primaries.forEach((endpoint, names) -> {
            if (names.size() > 1) {
                violations.add(endpoint + " has " + names.size() + " primaries in the store: " + names);
            }
        });
        for (Endpoint endpoint : byName(Kind.ENDPOINT, Endpoint.class).values()) {
            String claimed = endpoint.status() == null ? null : endpoint.status().compute();
            Compute compute = claimed == null ? null : computes.get(claimed);
            if (compute != null && compute.spec().role() == Compute.Role.replacement) {
                violations.add(endpoint.name() + " claims " + claimed + ", which is a " + compute.spec().role());
            }
            if (compute != null && !Long.valueOf(compute.spec().epoch()).equals(endpoint.status().epoch())) {
                violations.add(endpoint.name() + " is at epoch " + endpoint.status().epoch() + " but its primary "
                        + claimed + " at " + compute.spec().epoch());
            }
        }
        return violations;
    }

    /** No cell has more hosts than its {@code maxHosts}. */
    List<String> cellsOverMaxHosts() {
        Map<String, Integer> hostsPerCell = new HashMap<>();
        for (Host host : byName(Kind.HOST, Host.class).values()) {
            hostsPerCell.merge(host.spec().cell(), 1, Integer::sum);
        }
        List<String> violations = new ArrayList<>();
        for (Cell cell : byName(Kind.CELL, Cell.class).values()) {
            int hosts = hostsPerCell.getOrDefault(cell.name(), 0);
            if (hosts > cell.spec().maxHosts()) {
                violations.add(cell.name() + ": " + hosts + " hosts > maxHosts " + cell.spec().maxHosts());
            }
        }
        return violations;
    }

    /** Endpoints that are not placed: no compute, or one the store does not have. */
    List<String> unplacedEndpoints() {
        Map<String, Compute> computes = byName(Kind.COMPUTE, Compute.class);
        List<String> unplaced = new ArrayList<>();
        for (Endpoint endpoint : byName(Kind.ENDPOINT, Endpoint.class).values()) {
            Endpoint.Status status = endpoint.status();
            if (status != null && status.phase() == Endpoint.Phase.Suspended) {
                continue;
            }
            if (status == null || status.compute() == null || !computes.containsKey(status.compute())) {
                unplaced.add(endpoint.name());
            }
        }
        return unplaced;
    }

    /**
     * Endpoints left unplaced although a schedulable host of their cell could take their starting
     * size: after the controllers have had their turn, the cell having room means being placed.
     */
    List<String> unplacedDespiteRoom() {
        Map<String, Cell> cells = byName(Kind.CELL, Cell.class);
        Map<String, Cu> largestFree = new HashMap<>();
        for (Host host : byName(Kind.HOST, Host.class).values()) {
            HostRoom room = HostCapacity.roomOf(host, cells.get(host.spec().cell()));
            if (room.schedulable()) {
                largestFree.merge(host.spec().cell(), room.free(), Cu::max);
            }
        }
        Set<String> unplaced = new HashSet<>(unplacedEndpoints());
        List<String> violations = new ArrayList<>();
        for (Endpoint endpoint : byName(Kind.ENDPOINT, Endpoint.class).values()) {
            Cu free = largestFree.getOrDefault(endpoint.spec().cell(), Cu.ZERO);
            Cu size = PlacementNeed.startingSize(endpoint);
            if (unplaced.contains(endpoint.name()) && free.compareTo(size) >= 0) {
                violations.add(endpoint.name() + " (" + size + " CU) unplaced while a host of " + endpoint.spec().cell()
                        + " has " + free + " CU free");
            }
        }
        return violations;
    }

    /** Endpoints whose primary does not serve: a primary serves while it migrates or a restart prewarms. */
    List<String> notRunning() {
        Set<Endpoint.Phase> serving = EnumSet.of(Endpoint.Phase.Running, Endpoint.Phase.Suspended,
                Endpoint.Phase.Migrating, Endpoint.Phase.Restarting);
        List<String> notRunning = new ArrayList<>();
        for (Endpoint endpoint : byName(Kind.ENDPOINT, Endpoint.class).values()) {
            Endpoint.Status status = endpoint.status();
            if (status == null || !serving.contains(status.phase())) {
                notRunning.add(endpoint.name());
            }
        }
        return notRunning;
    }

    Map<String, List<Compute>> computesByHost() {
        Map<String, List<Compute>> byHost = new HashMap<>();
        for (Compute compute : byName(Kind.COMPUTE, Compute.class).values()) {
            byHost.computeIfAbsent(compute.spec().host(), h -> new ArrayList<>()).add(compute);
        }
        return byHost;
    }

    <T> Map<String, T> byName(Kind kind, Class<T> type) {
        Map<String, T> byName = new HashMap<>();
        registry.listAll(kind).forEach(r -> byName.put(r.name(), type.cast(r)));
        return byName;
    }
}
