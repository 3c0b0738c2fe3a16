package io.tidepool.api.validation;

import io.tidepool.api.quantity.Bytes;
import io.tidepool.api.quantity.Cu;
import io.tidepool.api.quantity.MilliCpu;
import io.tidepool.api.quantity.RestartWindow;
import io.tidepool.api.resource.ArbitraryResources;
import io.tidepool.api.resource.Cell;
import io.tidepool.api.resource.Endpoint;
import io.tidepool.api.resource.Host;
import io.tidepool.api.resource.HostShape;
import io.tidepool.api.resource.ObjectMeta;
import io.tidepool.api.resource.Resource;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** Manifest sets that break no rule: cells first, then hosts and endpoints that fit them. */
final class ValidManifestSets {
    private static final List<String> SETTING_NAMES =
            List.of("max_connections", "work_mem", "shared_preload_libraries", "pg_stat_statements.track", "jit");

    private ValidManifestSets() {
    }

    /**
     * Hosts and endpoints are generated as recipes that pick a cell by index and a size by share of
     * what the cell's hosts hold, then assembled, so that no generator depends on another's value.
     */
    static Arbitrary<List<Resource>> sets() {
        Arbitrary<List<Cell>> cells = Combinators.combine(metadata(), cellSpecs()).as((meta, spec) -> new Cell(meta, spec, null))
                .list().ofMinSize(1).ofMaxSize(3).uniqueElements(Cell::name);
        Arbitrary<List<HostRecipe>> hosts = Combinators.combine(metadata(), Arbitraries.integers().greaterOrEqual(0), shapes(),
                Arbitraries.of(true, false)).as(HostRecipe::new).list().ofMaxSize(4).uniqueElements(r -> r.metadata().name());
        Arbitrary<List<EndpointRecipe>> endpoints = Combinators.combine(metadata(), Arbitraries.integers().greaterOrEqual(0),
                        Arbitraries.doubles().between(0, 1), Arbitraries.doubles().between(0, 1), postgres(),
                        Arbitraries.longs().between(1, 7 * 24 * 60).map(Duration::ofMinutes).injectNull(0.3),
                        restartWindows().injectNull(0.3))
                .as(EndpointRecipe::new).list().ofMaxSize(6).uniqueElements(r -> r.metadata().name());
        return Combinators.combine(cells, hosts, endpoints).as((cellList, hostList, endpointList) -> {
            List<Resource> all = new ArrayList<>(cellList);
            hostList.forEach(recipe -> all.add(recipe.in(cellList)));
            endpointList.forEach(recipe -> all.add(recipe.in(cellList)));
            return all;
        });
    }

    private record HostRecipe(ObjectMeta metadata, int cellPick, HostShape capacity, boolean unschedulable) {
        Host in(List<Cell> cells) {
            return new Host(metadata, new Host.Spec(cells.get(cellPick % cells.size()).name(), capacity, unschedulable), null);
        }
    }

    private record EndpointRecipe(ObjectMeta metadata, int cellPick, double minShare, double maxShare, Endpoint.Postgres postgres,
                                  Duration suspendAfter, RestartWindow restartWindow) {
        Endpoint in(List<Cell> cells) {
            Cell cell = cells.get(cellPick % cells.size());
            long most = cell.spec().hostTemplate().capacityCu().quarters();
            long min = 1 + (long) (minShare * (most - 1));
            long max = min + (long) (maxShare * (most - min));
            Endpoint.ComputeRange compute = new Endpoint.ComputeRange(Cu.ofQuarters(min), Cu.ofQuarters(max));
            return new Endpoint(metadata, new Endpoint.Spec(cell.name(), compute, postgres, suspendAfter, restartWindow), null);
        }
    }

    static Arbitrary<String> dnsLabels() {
        Arbitrary<Character> edge = Arbitraries.chars().with("abcdefghijklmnopqrstuvwxyz0123456789".toCharArray());
        Arbitrary<String> middle = Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyz0123456789-").ofMaxLength(20);
        return Combinators.combine(edge, middle, edge).as((first, inner, last) -> first + inner + last)
                .injectDuplicates(0.1).edgeCases(config -> config.add("a".repeat(63)));
    }

    private static Arbitrary<ObjectMeta> metadata() {
        Arbitrary<String> labelValues = Arbitraries.oneOf(Arbitraries.just(""), dnsLabels(), Arbitraries.of("Gold", "v1.2_x"));
        Arbitrary<String> labelKeys = Arbitraries.oneOf(dnsLabels(), dnsLabels().map(k -> "example.com/" + k));
        return Combinators.combine(dnsLabels(), ArbitraryResources.textMaps(labelKeys, labelValues, 3),
                        ArbitraryResources.textMaps(labelKeys, ArbitraryResources.text(), 2))
                .as((name, labels, annotations) -> new ObjectMeta(name, labels, annotations, 0, 0, null));
    }

    private static Arbitrary<HostShape> shapes() {
        return Combinators.combine(Arbitraries.longs().between(1, 128), Arbitraries.longs().between(1, 512))
                .as((cpus, gib) -> new HostShape(MilliCpu.ofCpus(cpus), Bytes.ofGibibytes(gib)));
    }

    private static Arbitrary<Cell.Spec> cellSpecs() {
        return Combinators.combine(shapes(), Arbitraries.integers().between(1, 200), Arbitraries.integers().between(0, 100),
                        Arbitraries.doubles().between(1, 16), Arbitraries.of(Cell.ProviderType.class),
                        Arbitraries.doubles().between(0.01, 1))
                .as((shape, maxHosts, bufferPercent, overcommit, provider, watermark) -> {
                    long most = shape.capacityCu().quarters() * maxHosts;
                    return new Cell.Spec(shape, new Cell.Buffer(Cu.ofQuarters(most * bufferPercent / 100)), watermark, overcommit,
                            new Cell.Provider(provider), maxHosts);
                });
    }

    private static Arbitrary<Endpoint.Postgres> postgres() {
        return Combinators.combine(Arbitraries.of(Endpoint.SUPPORTED_POSTGRES_VERSIONS),
                        ArbitraryResources.textMaps(Arbitraries.of(SETTING_NAMES),
                                Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(30), 3))
                .as(Endpoint.Postgres::new);
    }

    private static Arbitrary<RestartWindow> restartWindows() {
        return Combinators.combine(Arbitraries.of(DayOfWeek.class).set().ofMinSize(1).map(List::copyOf),
                        Combinators.combine(Arbitraries.integers().between(0, 23), Arbitraries.integers().between(0, 59)).as(LocalTime::of),
                        Arbitraries.longs().between(1, 24 * 60).map(Duration::ofMinutes), ArbitraryResources.zones())
                .as(RestartWindow::new);
    }

    /** Cells as the store would hand them over: by name. */
    static Map<String, Cell> byName(List<Cell> cells) {
        Map<String, Cell> out = new HashMap<>();
        cells.forEach(cell -> out.put(cell.name(), cell));
        return out;
    }
}
