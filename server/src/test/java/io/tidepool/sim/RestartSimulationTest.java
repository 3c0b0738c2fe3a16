package io.tidepool.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidepool.api.quantity.Bytes;
import io.tidepool.api.quantity.Cu;
import io.tidepool.api.quantity.MilliCpu;
import io.tidepool.api.quantity.RestartWindow;
import io.tidepool.api.resource.Cell;
import io.tidepool.api.resource.Compute;
import io.tidepool.api.resource.Endpoint;
import io.tidepool.api.resource.HostShape;
import io.tidepool.api.resource.Kind;
import io.tidepool.api.resource.ObjectMeta;
import io.tidepool.api.resource.Resource;
import io.tidepool.control.Conditions;
import io.tidepool.reconcile.ManualClock;
import io.tidepool.registry.ResourceRegistry;
import io.tidepool.registry.ResourceTxn;
import io.tidepool.restart.RestartCause;
import io.tidepool.restart.RestartEnd;
import io.tidepool.restart.RestartSettings;
import io.tidepool.restart.RestartWindows;
import io.tidepool.sim.workload.Demand;
import io.tidepool.store.Op;
import io.tidepool.store.Txn;
import io.tidepool.store.memory.InMemoryStore;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Endpoints whose Postgres version changes are restarted in their window by switching to a
 * replacement started ahead of it: the replacement starts no earlier than its prewarm lead before
 * the window, the switch happens only inside the window, the cell's restart limit holds at every
 * step, and a setting a reload applies is written to the running compute at once, without a
 * restart.
 */
class RestartSimulationTest {
    /** A Sunday. */
    private static final Instant START = Instant.parse("2026-01-04T00:00:00Z");
    private static final HostShape HOST = new HostShape(new MilliCpu(8_000), new Bytes(32L << 30));
    private static final RestartWindow WINDOW = new RestartWindow(List.of(DayOfWeek.SUNDAY), LocalTime.of(2, 0),
            Duration.ofHours(1), null);
    private static final Duration LEAD = Duration.ofMinutes(10);

    @Property(tries = 4)
    void restartsHappenOnlyInTheWindowAfterAPrewarmedReplacement(@ForAll @IntRange(min = 1, max = 4) int maxPerCell)
            throws Exception {
        InMemoryStore store = new InMemoryStore();
        ManualClock clock = new ManualClock(START);
        ResourceRegistry registry = new ResourceRegistry(store);
        FleetInvariants invariants = new FleetInvariants(registry);
        List<Resource> objects = new ArrayList<>();
        objects.add(new Cell(ObjectMeta.named("c1"), new Cell.Spec(HOST, null, 0.9, 1.0, null, 10), null));
        for (int i = 0; i < 5; i++) {
            objects.add(endpoint("db-" + i, new Endpoint.Postgres("15", Map.of())));
        }
        objects.add(endpoint("reload-only", new Endpoint.Postgres("15", Map.of())));
        store.txn(Txn.of(List.of(), objects.stream().map(r -> (Op) ResourceRegistry.putOp(r)).toList()));
        SimFleet.Settings base = SimFleet.Settings.DEFAULT;
        SimFleet.Settings settings = base.withControl(base.control().withRestarts(new RestartSettings(LEAD, maxPerCell)));
        try (SimFleet fleet = new SimFleet(store, clock, name -> t -> Demand.ofMebibytes(0.5, 512, 256), settings)) {
            for (int h = 0; h < 2; h++) {
                fleet.addHost("c1", "host-" + h, HOST);
            }
            ReportedRestarts reported = new ReportedRestarts();
            fleet.lead(reported.observers());
            fleet.afterAgentRound(() -> assertThat(invariants.atMostOnePrimary(fleet.agents(), Set.of())).isEmpty());
            for (int step = 0; step < 6; step++) {
                fleet.step();
            }
            assertThat(invariants.notRunning()).isEmpty();
            Map<String, String> primaries = primaries(registry);
            for (int i = 0; i < 5; i++) {
                changePostgres(registry, "db-" + i, new Endpoint.Postgres("16", Map.of()));
            }
            changePostgres(registry, "reload-only", new Endpoint.Postgres("15", Map.of("work_mem", "16MB")));

            Map<String, Instant> switchedAt = new HashMap<>();
            Map<String, Instant> replacementStarts = new HashMap<>();
            Instant firstReplacement = null;
            while (clock.instant().isBefore(START.plus(Duration.ofHours(4)))) {
                fleet.step();
                Instant now = clock.instant();
                assertThat(invariants.noHostOvercommitted()).isEmpty();
                assertThat(invariants.onePrimaryPerEndpointInStore()).isEmpty();
                List<Compute> replacements = replacements(registry);
                assertThat(replacements.size()).as("restarts in flight at %s", now).isLessThanOrEqualTo(maxPerCell);
                if (firstReplacement == null && !replacements.isEmpty()) {
                    firstReplacement = now;
                }
                replacements.forEach(r -> replacementStarts.putIfAbsent(r.spec().endpoint(), r.metadata().creationTimestamp()));
                Map<String, String> current = primaries(registry);
                for (Map.Entry<String, String> entry : current.entrySet()) {
                    if (!entry.getValue().equals(primaries.get(entry.getKey()))) {
                        assertThat(RestartWindows.isOpen(WINDOW, now)).as(entry.getKey() + " switched at " + now).isTrue();
                        switchedAt.put(entry.getKey(), now);
                    }
                }
                primaries = current;
            }
            Instant opens = Instant.parse("2026-01-04T02:00:00Z");
            assertThat(firstReplacement).as("first replacement starts its lead before the window")
                    .isAfterOrEqualTo(opens.minus(LEAD)).isBefore(opens);
            assertThat(switchedAt.keySet()).containsExactlyInAnyOrder("db-0", "db-1", "db-2", "db-3", "db-4");
            for (int i = 0; i < 5; i++) {
                Endpoint endpoint = registry.get(Endpoint.class, Kind.ENDPOINT, "db-" + i).orElseThrow();
                Compute primary = registry.get(Compute.class, Kind.COMPUTE, endpoint.status().compute()).orElseThrow();
                assertThat(primary.spec().postgres().version()).isEqualTo("16");
                assertThat(endpoint.status().phase()).isEqualTo(Endpoint.Phase.Running);
                assertThat(endpoint.status().conditions()).anySatisfy(c -> {
                    assertThat(c.type()).isEqualTo(Conditions.RESTART_PENDING);
                    assertThat(c.reason()).isEqualTo("Restarted");
                });
            }
            Compute reloaded = registry.get(Compute.class, Kind.COMPUTE, primaries.get("reload-only")).orElseThrow();
            assertThat(reloaded.name()).as("a reload needs no new compute").isEqualTo("reload-only-1");
            assertThat(reloaded.spec().postgres().settings()).containsEntry("work_mem", "16MB");
            assertThat(replacements(registry)).isEmpty();
            assertThat(reported.started).as("one start per restart").hasSize(5).containsOnly(RestartCause.VERSION);
            assertThat(reported.gaveUp).isEmpty();
            assertThat(reported.switches).as("each switch timed from its replacement's start")
                    .containsExactlyInAnyOrderElementsOf(switchedAt.entrySet().stream().map(e -> new ReportedRestarts.Switch(
                            RestartCause.VERSION, Duration.between(replacementStarts.get(e.getKey()), e.getValue()))).toList());
        }
    }

    /**
     * The first replacement of one endpoint never starts (its host reports it failing): it is
     * given up once it has failed for the grace, and a fresh one, started at once, is switched to
     * inside the same window; the other endpoints' restarts are not held up.
     */
    @Example
    void aReplacementThatKeepsFailingIsRetiredAndAFreshOneSwitchesInTheSameWindow() throws Exception {
        InMemoryStore store = new InMemoryStore();
        ManualClock clock = new ManualClock(START);
        ResourceRegistry registry = new ResourceRegistry(store);
        List<Resource> objects = new ArrayList<>();
        objects.add(new Cell(ObjectMeta.named("c1"), new Cell.Spec(HOST, null, 0.9, 1.0, null, 10), null));
        objects.add(endpoint("db-0", new Endpoint.Postgres("15", Map.of())));
        objects.add(endpoint("db-1", new Endpoint.Postgres("15", Map.of())));
        store.txn(Txn.of(List.of(), objects.stream().map(r -> (Op) ResourceRegistry.putOp(r)).toList()));
        SimFleet.Settings base = SimFleet.Settings.DEFAULT;
        SimFleet.Settings settings = base.withControl(base.control().withRestarts(new RestartSettings(LEAD, 2)));
        try (SimFleet fleet = new SimFleet(store, clock, name -> t -> Demand.ofMebibytes(0.5, 512, 256), settings)) {
            fleet.addHost("c1", "host-0", HOST);
            fleet.addHost("c1", "host-1", HOST);
            ReportedRestarts reported = new ReportedRestarts();
            fleet.lead(reported.observers());
            for (int step = 0; step < 6; step++) {
                fleet.step();
            }
            List<String> neverStarts = new ArrayList<>();
            fleet.failStartsOf(c -> c.spec().role() == Compute.Role.replacement && c.spec().endpoint().equals("db-0")
                    && neverStarts.isEmpty() && neverStarts.add(c.name()));
            changePostgres(registry, "db-0", new Endpoint.Postgres("16", Map.of()));
            changePostgres(registry, "db-1", new Endpoint.Postgres("16", Map.of()));
            Map<String, String> primaries = primaries(registry);
            Map<String, Instant> switchedAt = new HashMap<>();
            Map<String, Instant> failingSeen = new HashMap<>();
            while (clock.instant().isBefore(START.plus(Duration.ofHours(4)))) {
                fleet.step();
                Instant now = clock.instant();
                for (Compute replacement : replacements(registry)) {
                    if (replacement.status() != null && replacement.status().phase() == Compute.Phase.Failed) {
                        failingSeen.putIfAbsent(replacement.name(), now);
                    }
                }
                Map<String, String> current = primaries(registry);
                for (Map.Entry<String, String> entry : current.entrySet()) {
                    if (!entry.getValue().equals(primaries.get(entry.getKey()))) {
                        switchedAt.put(entry.getKey(), now);
                    }
                }
                primaries = current;
            }
            Instant opens = Instant.parse("2026-01-04T02:00:00Z");
            assertThat(failingSeen).as("the first replacement of db-0 failed").hasSize(1);
            assertThat(reported.gaveUp).containsExactly(RestartEnd.REPLACEMENT_FAILED);
            assertThat(reported.started).as("db-1's restart, db-0's failed and its fresh one").hasSize(3);
            assertThat(switchedAt).containsOnlyKeys("db-0", "db-1");
            switchedAt.values().forEach(at -> assertThat(RestartWindows.isOpen(WINDOW, at)).as("switched at " + at).isTrue());
            assertThat(switchedAt.get("db-0")).as("in the same window").isBefore(opens.plus(WINDOW.duration()));
            Compute primary = registry.get(Compute.class, Kind.COMPUTE, primaries.get("db-0")).orElseThrow();
            assertThat(primary.spec().postgres().version()).isEqualTo("16");
            assertThat(failingSeen).containsOnlyKeys(neverStarts);
            assertThat(neverStarts).doesNotContain(primary.name());
            assertThat(replacements(registry)).isEmpty();
        }
    }

    private static Endpoint endpoint(String name, Endpoint.Postgres postgres) {
        return new Endpoint(ObjectMeta.named(name), new Endpoint.Spec("c1",
                new Endpoint.ComputeRange(Cu.QUARTER, Cu.ofWhole(2)), postgres, null, WINDOW), null);
    }

    private static void changePostgres(ResourceRegistry registry, String name, Endpoint.Postgres postgres) {
        Endpoint e = registry.get(Endpoint.class, Kind.ENDPOINT, name).orElseThrow();
        Endpoint changed = new Endpoint(e.metadata(), new Endpoint.Spec(e.spec().cell(), e.spec().compute(), postgres,
                e.spec().suspendAfter(), e.spec().restartWindow()), e.status());
        assertThat(registry.store().txn(new ResourceTxn().update(e, changed).toTxn()).succeeded()).isTrue();
    }

    private static Map<String, String> primaries(ResourceRegistry registry) {
        Map<String, String> primaries = new HashMap<>();
        for (Resource r : registry.listAll(Kind.ENDPOINT)) {
            Endpoint e = (Endpoint) r;
            primaries.put(e.name(), e.status() == null ? null : e.status().compute());
        }
        return primaries;
    }

    private static List<Compute> replacements(ResourceRegistry registry) {
        return registry.listAll(Kind.COMPUTE).stream().map(Compute.class::cast)
                .filter(c -> c.spec().role() == Compute.Role.replacement).toList();
    }
}
