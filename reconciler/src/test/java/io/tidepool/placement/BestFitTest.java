package io.tidepool.placement;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidepool.api.quantity.Cu;
import io.tidepool.capacity.HostRoom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class BestFitTest {

    @Test
    void choosesTheHostThatEndsFullestBelowItsWatermark() {
        PlacementPlan plan = BestFit.plan(List.of(request("shop", "1")),
                List.of(room("roomy", "16", "2"), room("snug", "16", "12"), room("full", "16", "14")));

        assertThat(plan.assignments()).containsExactly(
                new PlacementPlan.Assignment("shop", "snug", cu("1"), PlacementPlan.Fit.BELOW_WATERMARK));
    }

    @Test
    void goesAboveTheWatermarkRatherThanLeaveAnEndpointUnplaced() {
        PlacementPlan plan = BestFit.plan(List.of(request("shop", "1.5")),
                List.of(room("a", "16", "14"), room("b", "16", "14.25")));

        assertThat(plan.assignments()).containsExactly(
                new PlacementPlan.Assignment("shop", "a", cu("1.5"), PlacementPlan.Fit.ABOVE_WATERMARK));
        assertThat(plan.assignments().get(0).explanation()).contains("no host had room below its watermark");
    }

    @Test
    void neverUsesUnschedulableHostsAndSaysWhyNothingFits() {
        HostRoom cordoned = new HostRoom("cordoned", cu("16"), Cu.ZERO, cu("14.25"), false);
        PlacementPlan plan = BestFit.plan(List.of(request("shop", "1"), request("blog", "8")),
                List.of(cordoned, room("small", "4", "0")));

        assertThat(plan.assignments()).extracting(PlacementPlan.Assignment::host).containsExactly("small");
        assertThat(plan.unplaced()).containsExactly(new PlacementPlan.Unplaced("blog", cu("8"),
                "no host has 8 CU free (the most is 3 CU, on small)"));
    }

    @Property(tries = 300)
    void neverGrantsMoreThanAHostHolds(@ForAll("hosts") List<HostRoom> hosts, @ForAll("requests") List<PlacementRequest> requests) {
        PlacementPlan plan = BestFit.plan(requests, hosts);

        Map<String, Cu> granted = new HashMap<>();
        plan.assignments().forEach(a -> granted.merge(a.host(), a.cu(), Cu::plus));
        for (HostRoom host : hosts) {
            Cu after = host.allocated().plus(granted.getOrDefault(host.host(), Cu.ZERO));
            if (granted.containsKey(host.host())) {
                assertThat(host.schedulable()).isTrue();
                assertThat(after).isLessThanOrEqualTo(host.capacity());
            }
            assertThat(plan.hostsAfter().get(host.host()).allocated()).isEqualTo(after);
        }
    }

    @Property(tries = 300)
    void leavesARequestUnplacedOnlyWhenNoSchedulableHostHasRoomForIt(
            @ForAll("hosts") List<HostRoom> hosts, @ForAll("requests") List<PlacementRequest> requests) {
        PlacementPlan plan = BestFit.plan(requests, hosts);

        for (PlacementPlan.Unplaced unplaced : plan.unplaced()) {
            assertThat(plan.hostsAfter().values())
                    .filteredOn(HostRoom::schedulable)
                    .allSatisfy(h -> assertThat(h.free()).isLessThan(unplaced.cu()));
        }
        assertThat(plan.assignments().size() + plan.unplaced().size()).isEqualTo(requests.size());
    }

    @Property(tries = 100)
    void decidesTheSameWayEveryTime(@ForAll("hosts") List<HostRoom> hosts, @ForAll("requests") List<PlacementRequest> requests) {
        assertThat(BestFit.plan(requests, hosts)).isEqualTo(BestFit.plan(requests, new ArrayList<>(hosts)));
    }

    @Provide
    Arbitrary<List<HostRoom>> hosts() {
        return Combinators.combine(Arbitraries.longs().between(1, 64), Arbitraries.doubles().between(0, 1.2),
                        Arbitraries.of(true, true, true, false))
                .as((capacity, fill, schedulable) -> {
                    long allocated = (long) Math.floor(capacity * 4 * fill);
                    return new long[] {capacity * 4, allocated, schedulable ? 1 : 0};
                })
                .list().ofMinSize(0).ofMaxSize(20)
                .map(shapes -> {
                    List<HostRoom> rooms = new ArrayList<>();
                    for (int i = 0; i < shapes.size(); i++) {
                        long[] s = shapes.get(i);
                        Cu capacity = Cu.ofQuarters(s[0]);
                        rooms.add(new HostRoom("h" + i, capacity, Cu.ofQuarters(s[1]),
                                Cu.ofQuarters((long) Math.floor(s[0] * 0.9)), s[2] == 1));
                    }
                    return rooms;
                });
    }

    @Provide
    Arbitrary<List<PlacementRequest>> requests() {
        return Arbitraries.longs().between(1, 40).list().ofMaxSize(60).map(sizes -> {
            List<PlacementRequest> requests = new ArrayList<>();
            for (int i = 0; i < sizes.size(); i++) {
                requests.add(new PlacementRequest("e" + i, Cu.ofQuarters(sizes.get(i))));
            }
            return requests;
        });
    }

    private static HostRoom room(String name, String capacity, String allocated) {
        Cu cap = cu(capacity);
        return new HostRoom(name, cap, cu(allocated), Cu.ofQuarters((long) Math.floor(cap.quarters() * 0.9)), true);
    }

    private static PlacementRequest request(String endpoint, String cu) {
        return new PlacementRequest(endpoint, cu(cu));
    }

    private static Cu cu(String text) {
        return Cu.parse(text);
    }
}
