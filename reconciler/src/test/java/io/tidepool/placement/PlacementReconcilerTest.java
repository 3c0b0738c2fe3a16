package io.tidepool.placement;

import static io.tidepool.placement.PlacementFixture.cell;
import static io.tidepool.placement.PlacementFixture.endpoint;
import static io.tidepool.placement.PlacementFixture.readyHost;
import static org.assertj.core.api.Assertions.assertThat;

import io.tidepool.api.quantity.Cu;
import io.tidepool.api.resource.Compute;
import io.tidepool.api.resource.Condition;
import io.tidepool.api.resource.Endpoint;
import io.tidepool.api.resource.Host;
import io.tidepool.api.resource.Kind;
import io.tidepool.api.resource.Resource;
import io.tidepool.control.Conditions;
import io.tidepool.reconcile.ManualClock;
import io.tidepool.reconcile.Result;
import io.tidepool.registry.ResourceRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class PlacementReconcilerTest {
    private static final int PER_PASS = 10;
    private final PlacementFixture fleet = new PlacementFixture();
    private final ResourceRegistry registry = new ResourceRegistry(fleet.store);
    private final PlacementReconciler placement = new PlacementReconciler(fleet.cache, fleet.pending, fleet.store,
            new ManualClock(Instant.parse("2026-11-23T10:00:00Z")), PER_PASS);

    @Test
    void placesABigBacklogInBoundedPassesThatComeBackAtOnce() throws Exception {
        List<Resource> objects = new ArrayList<>(List.of(cell("c1"), readyHost("h1", "c1"), readyHost("h2", "c1")));
        for (int i = 0; i < 25; i++) {
            objects.add(endpoint(String.format("db-%02d", i), "c1"));
        }
        fleet.put(objects.toArray(Resource[]::new));
        fleet.cache.start();

        List<Result> results = new ArrayList<>();
        for (int pass = 0; pass < 3; pass++) {
            results.add(placement.reconcile("c1"));
            fleet.catchUp();
        }

        assertThat(results).containsExactly(Result.after(Duration.ZERO), Result.after(Duration.ZERO), Result.done());
        assertThat(computes()).hasSize(25);
        Map<String, Cu> byHost = computes().stream().collect(Collectors.groupingBy(c -> c.spec().host(),
                Collectors.reducing(Cu.ZERO, c -> c.spec().cu(), Cu::plus)));
        byHost.forEach((host, held) -> assertThat(ledger(host)).isEqualTo(held));
        assertThat(placement.reconcile("c1")).isEqualTo(Result.done());
    }

    @Test
    void waitsForItsCacheToHoldItsOwnWritesBeforeDecidingAgain() throws Exception {
        List<Resource> objects = new ArrayList<>(List.of(cell("c1"), readyHost("h1", "c1")));
        for (int i = 0; i < 15; i++) {
            objects.add(endpoint(String.format("db-%02d", i), "c1"));
        }
        fleet.put(objects.toArray(Resource[]::new));
        fleet.cache.start();

        placement.reconcile("c1");
        long written = fleet.store.currentRevision();

        assertThat(placement.reconcile("c1")).isEqualTo(Result.after(Duration.ofMillis(10)));
        assertThat(fleet.store.currentRevision()).as("nothing written from the stale copy").isEqualTo(written);
        fleet.catchUp();
        assertThat(placement.reconcile("c1")).isEqualTo(Result.done());
        assertThat(computes()).hasSize(15);
    }

    @Test
    void newEndpointsGoBeforeOnesThatFoundNoRoom() throws Exception {
        // One host of 8 CU for twenty 1-CU endpoints: twelve find no room. A small endpoint that
        // comes later is tried in the next pass even though more than a pass's worth wait before
        // it by name.
        List<Resource> objects = new ArrayList<>(List.of(cell("c1"), readyHost("h1", "c1")));
        for (int i = 0; i < 20; i++) {
            objects.add(sized(String.format("db-%02d", i), Cu.ofWhole(1)));
        }
        fleet.put(objects.toArray(Resource[]::new));
        fleet.cache.start();
        Result result;
        int passes = 0;
        do {
            result = placement.reconcile("c1");
            fleet.catchUp();
        } while (!result.equals(Result.done()) && ++passes < 5);
        assertThat(computes()).hasSize(8);
        assertThat(unschedulable()).hasSize(12);

        fleet.put(readyHost("h2", "c1"), sized("zz-small", Cu.QUARTER));
        fleet.catchUp();
        placement.reconcile("c1");
        fleet.catchUp();

        assertThat(computes()).extracting(c -> c.spec().endpoint()).contains("zz-small");
    }

    private static Endpoint sized(String name, Cu min) {
        Endpoint endpoint = endpoint(name, "c1");
        return new Endpoint(endpoint.metadata(), new Endpoint.Spec("c1", new Endpoint.ComputeRange(min, Cu.ofWhole(2)),
                null, null, null), null);
    }

    private List<Compute> computes() {
        return registry.listAll(Kind.COMPUTE).stream().map(Compute.class::cast).toList();
    }

    private List<Endpoint> unschedulable() {
        return registry.listAll(Kind.ENDPOINT).stream().map(Endpoint.class::cast)
                .filter(e -> e.status() != null && e.status().conditions().stream()
                        .anyMatch(c -> c.type().equals(Conditions.SCHEDULED) && c.status() == Condition.Status.False))
                .toList();
    }

    private Cu ledger(String host) {
        return registry.get(Host.class, Kind.HOST, host).orElseThrow().status().allocatedCu();
    }
}
