package io.tidepool.server.metrics;

import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.tidepool.api.quantity.Cu;
import io.tidepool.api.resource.Cell;
import io.tidepool.api.resource.Compute;
import io.tidepool.api.resource.Condition;
import io.tidepool.api.resource.Host;
import io.tidepool.api.resource.Migration;
import io.tidepool.capacity.HostCapacity;
import io.tidepool.capacity.HostRoom;
import io.tidepool.control.Conditions;
import io.tidepool.control.ControlLoop;
import io.tidepool.control.FleetCache;
import io.tidepool.reconcile.Controller;
import io.tidepool.switchover.Switchover;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The state of the fleet as the leader's cache holds it, read at each scrape: capacity and
 * allocation per cell and host, the buffer, hosts by readiness, the provider, moves and restarts
 * under way, and the controllers' queues. One pass over cells, hosts and migrations, and over
 * restart replacements by their index: never over all computes or endpoints, and no series per
 * endpoint or compute, so a fleet of 100,000 endpoints costs what its 2,000 hosts cost.
 */
final class FleetGauges {
    private FleetGauges() {
    }

    static List<MetricSnapshot> of(ControlLoop loop) {
        FleetCache cache = loop.cache();
        Map<String, Cell> cells = new TreeMap<>();
        cache.cells.list().forEach(cell -> cells.put(cell.name(), cell));
        List<MetricSnapshot> snapshots = new ArrayList<>(cellGauges(cells.values()));
        snapshots.addAll(hostGauges(cache, cells));
        snapshots.add(migrationsInProgress(cache, cells));
        snapshots.add(restartsInProgress(cache, cells));
        snapshots.addAll(queueGauges(loop.controllers()));
        return snapshots;
    }

    private static List<MetricSnapshot> cellGauges(Iterable<Cell> cells) {
        GaugeFamily allocated = new GaugeFamily("tidepool_cell_allocated_cu",
                "CU the cell's hosts have granted, as the cell's status rolls up their ledgers");
        GaugeFamily capacity = new GaugeFamily("tidepool_cell_capacity_cu", "CU the cell's hosts can grant, as the cell's status rolls it up");
        GaugeFamily spare = new GaugeFamily("tidepool_cell_spare_cu",
                "Free CU below the watermark on the cell's ready schedulable hosts, as the buffer last measured it");
        GaugeFamily target = new GaugeFamily("tidepool_cell_buffer_target_cu", "The spare CU the cell's buffer keeps (spec.buffer.spareCu)");
        GaugeFamily provider = new GaugeFamily("tidepool_cell_provider_ready",
                "1 while the cell's host provider answers, 0 while it fails; absent for cells whose hosts register themselves");
        for (Cell cell : cells) {
            target.add(cu(cell.spec().buffer().spareCu()), "cell", cell.name());
            Cell.Status status = cell.status();
            if (status != null) {
                allocated.add(cu(status.allocatedCu()), "cell", cell.name());
                capacity.add(cu(status.capacityCu()), "cell", cell.name());
                spare.add(cu(status.spareCu()), "cell", cell.name());
            }
            Cell.ProviderType type = cell.spec().provider().type();
            Optional<Condition> ready = status == null ? Optional.empty()
                    : status.conditions().stream().filter(c -> Conditions.PROVIDER_READY.equals(c.type())).findFirst();
            if (type != Cell.ProviderType.STATIC && ready.isPresent()) {
                provider.add(ready.get().status() == Condition.Status.True ? 1 : 0, "cell", cell.name(), "provider", type.text());
            }
        }
        return List.of(allocated.snapshot(), capacity.snapshot(), spare.snapshot(), target.snapshot(), provider.snapshot());
    }

    private static List<MetricSnapshot> hostGauges(FleetCache cache, Map<String, Cell> cells) {
        GaugeFamily allocated = new GaugeFamily("tidepool_host_allocated_cu",
                "CU the host's ledger has granted: at least what its computes hold, max(spec.cu, status.cu) each");
        GaugeFamily capacity = new GaugeFamily("tidepool_host_capacity_cu",
                "CU the host can grant: its memory in CU, capped by its CPUs times the cell's cpuOvercommit");
        GaugeFamily ready = new GaugeFamily("tidepool_host_ready", "1 while the host's heartbeats arrive, else 0");
        Map<String, long[]> readiness = new TreeMap<>();
        cells.keySet().forEach(cell -> readiness.put(cell, new long[2]));
        for (Host host : cache.hosts.list()) {
            String cellName = host.spec().cell();
            Cell cell = cellName == null ? null : cells.get(cellName);
            if (cell == null) {
                continue; // not in any cell the cache has: nothing can be placed on it
            }
            HostRoom room = HostCapacity.roomOf(host, cell);
            boolean isReady = host.status() != null && Boolean.TRUE.equals(host.status().ready());
            allocated.add(cu(room.allocated()), "cell", cellName, "host", host.name());
            capacity.add(cu(room.capacity()), "cell", cellName, "host", host.name());
            ready.add(isReady ? 1 : 0, "cell", cellName, "host", host.name());
            readiness.get(cellName)[isReady ? 1 : 0]++;
        }
        GaugeFamily hosts = new GaugeFamily("tidepool_cell_hosts", "The cell's hosts, by whether they are ready");
        readiness.forEach((cell, counts) -> {
            hosts.add(counts[1], "cell", cell, "ready", "true");
            hosts.add(counts[0], "cell", cell, "ready", "false");
        });
        return List.of(allocated.snapshot(), capacity.snapshot(), ready.snapshot(), hosts.snapshot());
    }

    private static MetricSnapshot migrationsInProgress(FleetCache cache, Map<String, Cell> cells) {
        Map<String, Long> byCell = zeroPerCell(cells);
        for (Migration migration : cache.migrations.list()) {
            Migration.Phase phase = migration.status() == null ? null : migration.status().phase();
            if (phase == Migration.Phase.Succeeded || phase == Migration.Phase.Failed) {
                continue;
            }
            cache.hosts.get(migration.spec().sourceHost())
                    .ifPresent(h -> byCell.computeIfPresent(h.spec().cell(), (cell, n) -> n + 1));
        }
        GaugeFamily gauge = new GaugeFamily("tidepool_migrations_in_progress", "Migrations not yet succeeded or failed, by the source host's cell");
        byCell.forEach((cell, n) -> gauge.add(n, "cell", cell));
        return gauge.snapshot();
    }

    private static MetricSnapshot restartsInProgress(FleetCache cache, Map<String, Cell> cells) {
        Map<String, Long> byCell = zeroPerCell(cells);
        for (Compute compute : cache.computes.byIndex(FleetCache.BY_PURPOSE, Switchover.Purpose.restart.name())) {
            if (compute.spec().role() == Compute.Role.replacement) {
                cache.hosts.get(compute.spec().host())
                        .ifPresent(h -> byCell.computeIfPresent(h.spec().cell(), (cell, n) -> n + 1));
            }
        }
        GaugeFamily gauge = new GaugeFamily("tidepool_restarts_in_progress",
                "Planned restarts whose replacement runs beside the primary, by cell");
        byCell.forEach((cell, n) -> gauge.add(n, "cell", cell));
        return gauge.snapshot();
    }

    private static List<MetricSnapshot> queueGauges(List<Controller<String>> controllers) {
        GaugeFamily depth = new GaugeFamily("tidepool_workqueue_depth", "Keys due now and waiting for a worker, per controller");
        GaugeFamily delayed = new GaugeFamily("tidepool_workqueue_delayed_keys",
                "Keys waiting for their time (requeued after a delay, or backing off after a failure), per controller");
        for (Controller<String> controller : controllers) {
            depth.add(controller.queue().dueCount(), "controller", controller.name());
            delayed.add(controller.queue().delayedCount(), "controller", controller.name());
        }
        return List.of(depth.snapshot(), delayed.snapshot());
    }

    private static Map<String, Long> zeroPerCell(Map<String, Cell> cells) {
        Map<String, Long> byCell = new TreeMap<>();
        cells.keySet().forEach(cell -> byCell.put(cell, 0L));
        return byCell;
    }

    private static double cu(Cu cu) {
        return cu == null ? 0 : cu.quarters() / 4.0;
    }
}
