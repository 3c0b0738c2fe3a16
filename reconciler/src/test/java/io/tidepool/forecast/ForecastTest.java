package io.tidepool.forecast;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidepool.api.quantity.Bytes;
import io.tidepool.api.quantity.Cu;
import io.tidepool.api.quantity.MilliCpu;
import io.tidepool.api.quantity.RestartWindow;
import io.tidepool.api.resource.Cell;
import io.tidepool.api.resource.Compute;
import io.tidepool.api.resource.Endpoint;
import io.tidepool.api.resource.Host;
import io.tidepool.api.resource.HostShape;
import io.tidepool.api.resource.ObjectMeta;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class ForecastTest {
    /** A Monday. */
    private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");
    /** 8 CU per host. */
    private static final HostShape HOST = new HostShape(MilliCpu.ofCpus(8), Bytes.ofGibibytes(32));
    private static final Endpoint.Postgres PG15 = new Endpoint.Postgres("15", Map.of());

    @Test
    void placesNewEndpointsOnTheHostThatEndsFullestBelowItsWatermark() {
        Forecast.Result result = Forecast.of(new Forecast.Input(List.of(cell("local", Cell.ProviderType.STATIC, 0)),
                List.of(host("h1", "local", 6), host("h2", "local", 1)), List.of(create(endpoint("shop", "local", "1"))),
                List.of(), List.of()), NOW);

        assertThat(result.fits()).isTrue();
        assertThat(result.endpoints()).singleElement().satisfies(e -> assertThat(e.explanation())
                .isEqualTo("placed 1 CU on h1: the best fit below its watermark"));
        Forecast.CellOutcome cell = result.cells().get(0);
        assertThat(cell.allocatedBefore()).isEqualTo(Cu.ofWhole(7));
        assertThat(cell.allocatedAfter()).isEqualTo(Cu.ofWhole(8));
    }

    @Test
    void aStaticCellWithoutRoomWillNotFitAndSaysWhy() {
        Forecast.Result result = Forecast.of(new Forecast.Input(List.of(cell("local", Cell.ProviderType.STATIC, 0)),
                List.of(host("h1", "local", 7)), List.of(create(endpoint("big", "local", "2"))), List.of(), List.of()), NOW);

        assertThat(result.fits()).isFalse();
        assertThat(result.endpoints()).singleElement().satisfies(e -> {
            assertThat(e.fits()).isFalse();
            assertThat(e.explanation()).contains("will not fit: no host has 2 CU free (the most is 1 CU, on h1)",
                    "a static cell grows only when host agents register");
        });
    }

    @Test
    void aProviderCellAddsHostsForWhatFindsNoRoomAndForItsBuffer() {
        Forecast.Result result = Forecast.of(new Forecast.Input(List.of(cell("pool", Cell.ProviderType.SIMULATED, 8)),
                List.of(), List.of(create(endpoint("shop", "pool", "2"))), List.of(), List.of()), NOW);

        assertThat(result.fits()).isTrue();
        assertThat(result.endpoints()).singleElement().satisfies(e -> assertThat(e.explanation())
                .startsWith("placed 2 CU on a host the simulated provider adds (new host 1): no schedulable host in the cell"));
        Forecast.CellOutcome cell = result.cells().get(0);
        assertThat(cell.hosts()).isZero();
        assertThat(cell.spare()).isEqualTo(Cu.parse("5"));
        assertThat(cell.provisioned()).as("one for the endpoint, one to refill the buffer of 8").isEqualTo(2);
        assertThat(cell.explanation()).contains("the provider would add 1 host of 8 cpus, 32Gi to refill it");
    }

    @Test
    void pruningFreesRoomBeforeNewEndpointsArePlaced() {
        Endpoint old = placed(endpoint("old", "local", "2"), "h1", "2");
        Forecast.Result result = Forecast.of(new Forecast.Input(List.of(cell("local", Cell.ProviderType.STATIC, 0)),
                List.of(host("h1", "local", 8)), List.of(create(endpoint("new", "local", "1"))), List.of(), List.of(old)), NOW);

        assertThat(result.fits()).isTrue();
        assertThat(result.endpoints()).extracting(Forecast.EndpointOutcome::explanation)
                .containsExactly("pruned: deleted, frees 2 CU on h1", "placed 1 CU on h1: the best fit below its watermark");
    }

    @Test
    void aVersionChangeWaitsForTheRestartWindow() {
        RestartWindow saturday = new RestartWindow(List.of(DayOfWeek.SATURDAY), LocalTime.of(2, 0), Duration.ofHours(2),
                RestartWindow.DEFAULT_TIME_ZONE);
        Endpoint live = placed(endpoint("search", "local", "1"), "h1", "1");
        Endpoint declared = new Endpoint(live.metadata(), new Endpoint.Spec("local", live.spec().compute(),
                new Endpoint.Postgres("16", Map.of()), null, saturday), null);

        Forecast.Result result = Forecast.of(new Forecast.Input(List.of(cell("local", Cell.ProviderType.STATIC, 0)),
                List.of(host("h1", "local", 1)), List.of(new Forecast.EndpointChange(declared, live, primary(live, "1"))),
                List.of(), List.of()), NOW);

        assertThat(result.endpoints()).extracting(Forecast.EndpointOutcome::explanation).contains(
                "restart for postgres 15 -> 16 waits for its window, which opens at 2026-12-12T02:00:00Z");
    }

    /** However many endpoints a static cell is asked to take, the forecast never fills a host past its capacity. */
    @Property
    void neverAllocatesBeyondCapacityAndFitsExactlyWhenEveryEndpointIsPlaced(
            @ForAll @IntRange(min = 0, max = 4) int hosts, @ForAll @IntRange(min = 0, max = 40) int endpoints,
            @ForAll @IntRange(min = 1, max = 8) int quarters) {
        List<Host> fleet = new java.util.ArrayList<>();
        for (int i = 0; i < hosts; i++) {
            fleet.add(host("h" + i, "local", 0));
        }
        List<Forecast.EndpointChange> changes = new java.util.ArrayList<>();
        for (int i = 0; i < endpoints; i++) {
            changes.add(create(endpoint("e" + i, "local", Cu.ofQuarters(quarters).toString())));
        }

        Forecast.Result result = Forecast.of(new Forecast.Input(List.of(cell("local", Cell.ProviderType.STATIC, 0)), fleet,
                changes, List.of(), List.of()), NOW);

        Forecast.CellOutcome cell = result.cells().get(0);
        assertThat(cell.allocatedAfter().compareTo(cell.capacity())).isLessThanOrEqualTo(0);
        long placed = result.endpoints().stream().filter(Forecast.EndpointOutcome::fits).count();
        assertThat(placed).isEqualTo(Math.min(endpoints, hosts * (32L / quarters)));
        assertThat(result.fits()).isEqualTo(placed == endpoints);
    }

    private static Cell cell(String name, Cell.ProviderType provider, int bufferCu) {
        return new Cell(ObjectMeta.named(name), new Cell.Spec(HOST, new Cell.Buffer(Cu.ofWhole(bufferCu)), 0.9, 1.0,
                new Cell.Provider(provider), 10), null);
    }

    private static Host host(String name, String cell, int allocatedCu) {
        return new Host(ObjectMeta.named(name), new Host.Spec(cell, HOST, false),
                new Host.Status(true, Cu.ofWhole(allocatedCu), null, null, List.of()));
    }

    private static Endpoint endpoint(String name, String cell, String minCu) {
        return new Endpoint(ObjectMeta.named(name), new Endpoint.Spec(cell,
                new Endpoint.ComputeRange(Cu.parse(minCu), Cu.ofWhole(4)), PG15, null, null), null);
    }

    private static Endpoint placed(Endpoint endpoint, String host, String cu) {
        return endpoint.withStatus(new Endpoint.Status(Endpoint.Phase.Running, host, Cu.parse(cu), null, List.of(), null,
                endpoint.name() + "-1", 1L, null));
    }

    private static Compute primary(Endpoint endpoint, String cu) {
        return new Compute(ObjectMeta.named(endpoint.name() + "-1"), new Compute.Spec(endpoint.name(), endpoint.status().host(),
                Cu.parse(cu), Compute.Role.primary, 1, PG15), null);
    }

    private static Forecast.EndpointChange create(Endpoint endpoint) {
        return new Forecast.EndpointChange(endpoint, null, null);
    }
}
