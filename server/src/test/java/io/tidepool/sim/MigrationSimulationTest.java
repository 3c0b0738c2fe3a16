package io.tidepool.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidepool.api.quantity.Bytes;
import io.tidepool.api.quantity.Cu;
import io.tidepool.api.quantity.MilliCpu;
import io.tidepool.api.resource.Cell;
import io.tidepool.api.resource.Endpoint;
import io.tidepool.api.resource.Host;
import io.tidepool.api.resource.HostShape;
import io.tidepool.api.resource.Kind;
import io.tidepool.api.resource.Migration;
import io.tidepool.api.resource.ObjectMeta;
import io.tidepool.api.resource.Resource;
import io.tidepool.capacity.HostCapacity;
import io.tidepool.capacity.Ledger;
import io.tidepool.migration.MigrationEnd;
import io.tidepool.migration.MigrationObserver;
import io.tidepool.migration.MigrationSettings;
import io.tidepool.reconcile.ManualClock;
import io.tidepool.registry.ResourceRegistry;
import io.tidepool.sim.workload.Demand;
import io.tidepool.store.Op;
import io.tidepool.store.Txn;
import io.tidepool.store.memory.InMemoryStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Endpoints packed onto one host grow under load until the host passes its watermark; the
 * migration controller moves computes off it, one Migration object per move, each switching to a
 * warm replacement, until every host is at or below its watermark and every endpoint has the size
 * its load asks for. After every step: no overcommit, sizes in bounds, one primary per endpoint,
 * the per-host migration cap.
 */
class MigrationSimulationTest {
    private static final Instant START = Instant.parse("2026-01-05T00:00:00Z");
    private static final HostShape HOST = new HostShape(new MilliCpu(8_000), new Bytes(32L << 30));
    private static final double WATERMARK = 0.75;
    private static final Duration LOAD_STARTS = Duration.ofMinutes(5);

    @Property(tries = 4)
    void hostsAboveTheirWatermarkShedComputesUntilBelow(@ForAll @IntRange(min = 4, max = 7) int endpoints) throws Exception {
        InMemoryStore store = new InMemoryStore();
        ManualClock clock = new ManualClock(START);
        ResourceRegistry registry = new ResourceRegistry(store);
        FleetInvariants invariants = new FleetInvariants(registry);
        SimFleet.Settings settings = SimFleet.Settings.DEFAULT;
        ReportedMigrations reported = new ReportedMigrations();
        try (SimFleet fleet = packedFleet(store, clock, endpoints, settings)) {
            fleet.lead(reported.observers());
            fleet.afterAgentRound(() -> assertThat(invariants.atMostOnePrimary(fleet.agents(), Set.of())).isEmpty());
            int perHost = settings.control().migrations().limits().perHost();
            while (clock.instant().isBefore(START.plus(Duration.ofMinutes(40)))) {
                fleet.step();
                assertThat(invariants.noHostOvercommitted()).isEmpty();
                assertThat(invariants.computesWithinBounds()).isEmpty();
                assertThat(invariants.onePrimaryPerEndpointInStore()).isEmpty();
                assertThat(activeBySource(registry).values()).allMatch(n -> n <= perHost);
            }
            List<Migration> migrations = registry.listAll(Kind.MIGRATION).stream().map(Migration.class::cast).toList();
            assertThat(migrations).as("computes were moved off the full host").isNotEmpty()
                    .allSatisfy(m -> {
                        assertThat(m.status().phase()).as(m.name() + ": " + m.status().message())
                                .isEqualTo(Migration.Phase.Succeeded);
                        assertThat(m.status().startedAt()).isBeforeOrEqualTo(m.status().warmAt());
                        assertThat(m.status().warmAt()).isBeforeOrEqualTo(m.status().finishedAt());
                        assertThat(Duration.between(m.status().warmAt(), m.status().finishedAt()))
                                .as(m.name() + ": switched once the source says its primary stopped, not at a timeout or resync")
                                .isLessThanOrEqualTo(settings.tick().multipliedBy(3));
                        assertThat(m.spec().sourceHost()).isNotEqualTo(m.spec().targetHost());
                    });
            assertThat(reported.started).as("one start reported per migration").hasSize(migrations.size())
                    .containsOnly(MigrationObserver.OVER_WATERMARK);
            assertThat(reported.ends).as("one end per migration, timed as its object says")
                    .containsExactlyInAnyOrderElementsOf(migrations.stream().map(m -> new ReportedMigrations.End(
                            MigrationEnd.SUCCEEDED, Duration.between(m.status().startedAt(), m.status().finishedAt())))
                            .toList());
            Map<String, Cell> cells = invariants.byName(Kind.CELL, Cell.class);
            for (Host host : invariants.byName(Kind.HOST, Host.class).values()) {
                Cu capacity = HostCapacity.capacity(host.spec().capacity(), 1.0);
                assertThat(Ledger.allocated(host)).as(host.name() + " at or below its watermark")
                        .isLessThanOrEqualTo(HostCapacity.watermark(capacity, cells.get("c1").spec().watermark()));
            }
            for (Endpoint endpoint : invariants.byName(Kind.ENDPOINT, Endpoint.class).values()) {
                assertThat(endpoint.status().phase()).as(endpoint.name()).isEqualTo(Endpoint.Phase.Running);
                assertThat(endpoint.status().cu()).as(endpoint.name() + " got the size its load asks for")
                        .isEqualTo(Cu.parse("1.75"));
            }
        }
    }

    @Example
    void finishedMigrationsAreForgottenAfterTheirRetention() throws Exception {
        int endpoints = 5;
        InMemoryStore store = new InMemoryStore();
        ManualClock clock = new ManualClock(START);
        ResourceRegistry registry = new ResourceRegistry(store);
        SimFleet.Settings base = SimFleet.Settings.DEFAULT;
        MigrationSettings shortRetention = new MigrationSettings(base.control().migrations().limits(),
                base.control().migrations().timeout(), Duration.ofMinutes(5));
        SimFleet.Settings settings = base.withControl(base.control().withMigrations(shortRetention));
        try (SimFleet fleet = packedFleet(store, clock, endpoints, settings)) {
            fleet.lead();
            boolean sawMigration = false;
            while (clock.instant().isBefore(START.plus(Duration.ofMinutes(40)))) {
                fleet.step();
                sawMigration |= !registry.listAll(Kind.MIGRATION).isEmpty();
            }
            assertThat(sawMigration).isTrue();
            assertThat(registry.listAll(Kind.MIGRATION)).as("finished migrations deleted after 5 minutes").isEmpty();
        }
    }

    @Example
    void aSourceCutOffWhileItsPrimaryIsFencedNeverRunsTwoPrimaries() throws Exception {
        InMemoryStore store = new InMemoryStore();
        ManualClock clock = new ManualClock(START);
        ResourceRegistry registry = new ResourceRegistry(store);
        FleetInvariants invariants = new FleetInvariants(registry);
        Set<String> cutOff = new HashSet<>();
        ReportedMigrations reported = new ReportedMigrations();
        try (SimFleet fleet = packedFleet(store, clock, 6, SimFleet.Settings.DEFAULT)) {
            fleet.lead(reported.observers());
            fleet.afterAgentRound(() -> assertThat(invariants.atMostOnePrimary(fleet.agents(), cutOff)).isEmpty());
            Migration cutDuringSwitch = null;
            while (clock.instant().isBefore(START.plus(Duration.ofMinutes(30)))) {
                fleet.step();
                assertThat(invariants.onePrimaryPerEndpointInStore()).isEmpty();
                assertThat(invariants.noHostOvercommitted()).isEmpty();
                if (cutDuringSwitch == null) {
                    cutDuringSwitch = registry.listAll(Kind.MIGRATION).stream().map(Migration.class::cast)
                            .filter(m -> m.status().phase() == Migration.Phase.Switching).findFirst().orElse(null);
                    if (cutDuringSwitch != null) {
                        // The fence is in the store; the source will never hear it.
                        fleet.link().cutOff(cutDuringSwitch.spec().sourceHost());
                        cutOff.add(cutDuringSwitch.spec().sourceHost());
                    }
                }
            }
            assertThat(cutDuringSwitch).as("a migration reached its switch").isNotNull();
            Migration after = registry.get(Migration.class, Kind.MIGRATION, cutDuringSwitch.name()).orElseThrow();
            assertThat(after.status().phase()).as(after.status().message()).isEqualTo(Migration.Phase.Failed);
            assertThat(invariants.unplacedEndpoints()).as("placed again off the cut-off host").isEmpty();
            assertThat(reported.ends).as("the failed move reported with why it failed, as its object says")
                    .contains(new ReportedMigrations.End(MigrationEnd.PRIMARY_GONE,
                            Duration.between(after.status().startedAt(), after.status().finishedAt())));
        }
    }

    /**
     * A cell of three hosts and endpoints that idle, then each load 1.5 vCPUs: 1.75 CU at the 90%
     * load target, so four or more no longer fit below one host's watermark.
     */
    private static SimFleet packedFleet(InMemoryStore store, ManualClock clock, int endpoints, SimFleet.Settings settings) {
        List<Resource> objects = new ArrayList<>();
        objects.add(new Cell(ObjectMeta.named("c1"), new Cell.Spec(HOST, null, WATERMARK, 1.0, null, 10), null));
        for (int i = 0; i < endpoints; i++) {
            objects.add(new Endpoint(ObjectMeta.named("db-" + i), new Endpoint.Spec("c1",
                    new Endpoint.ComputeRange(Cu.QUARTER, Cu.ofWhole(2)), null, null, null), null));
        }
        store.txn(Txn.of(List.of(), objects.stream().map(r -> (Op) ResourceRegistry.putOp(r)).toList()));
        Instant loadStarts = START.plus(LOAD_STARTS);
        SimFleet fleet = new SimFleet(store, clock, name -> t -> t.isBefore(loadStarts)
                ? Demand.ofMebibytes(0.1, 256, 128) : Demand.ofMebibytes(1.5, 512, 256), settings);
        for (int h = 0; h < 3; h++) {
            fleet.addHost("c1", "host-" + h, HOST);
        }
        return fleet;
    }

    private static Map<String, Integer> activeBySource(ResourceRegistry registry) {
        Map<String, Integer> active = new HashMap<>();
        for (Resource r : registry.listAll(Kind.MIGRATION)) {
            Migration m = (Migration) r;
            Migration.Phase phase = m.status().phase();
            if (phase != Migration.Phase.Succeeded && phase != Migration.Phase.Failed) {
                active.merge(m.spec().sourceHost(), 1, Integer::sum);
            }
        }
        return active;
    }
}
