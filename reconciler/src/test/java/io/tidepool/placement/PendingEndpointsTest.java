package io.tidepool.placement;

import static io.tidepool.placement.PlacementFixture.compute;
import static io.tidepool.placement.PlacementFixture.endpoint;
import static io.tidepool.placement.PlacementFixture.placed;
import static org.assertj.core.api.Assertions.assertThat;

import io.tidepool.api.quantity.Cu;
import io.tidepool.api.resource.Endpoint;
import io.tidepool.api.resource.Kind;
import io.tidepool.registry.ResourceKeys;
import java.util.List;
import org.junit.jupiter.api.Test;

class PendingEndpointsTest {
    private final PlacementFixture fleet = new PlacementFixture();

    @Test
    void listsTheEndpointsThatNeedAComputeInNameOrderPerCell() throws Exception {
        fleet.put(endpoint("b", "c1"), endpoint("a", "c1"), endpoint("x", "c2"));
        fleet.cache.start();

        assertThat(fleet.pending.inNameOrder("c1")).containsExactly("a", "b");
        assertThat(fleet.pending.inNameOrder("c2")).containsExactly("x");
        assertThat(fleet.pending.inNameOrder("c3")).isEmpty();
    }

    @Test
    void dropsAnEndpointOncePlacedAndTakesItBackWhenItsComputeIsGone() throws Exception {
        fleet.cache.start();
        fleet.put(endpoint("a", "c1"), endpoint("b", "c1"));
        fleet.catchUp();

        fleet.put(compute("a-1", "a"), placed(endpoint("a", "c1"), "a-1"));
        fleet.catchUp();
        assertThat(fleet.pending.inNameOrder("c1")).containsExactly("b");

        fleet.store.delete(ResourceKeys.key(Kind.COMPUTE, "a-1"));
        fleet.catchUp();
        assertThat(fleet.pending.inNameOrder("c1")).as("its status still names the deleted compute").containsExactly("a", "b");
    }

    @Test
    void followsEndpointsThatMoveCellAreSuspendedOrGo() throws Exception {
        fleet.cache.start();
        fleet.put(endpoint("a", "c1"), endpoint("b", "c1"), endpoint("c", "c1"));
        fleet.catchUp();

        fleet.put(endpoint("a", "c2"), suspended(endpoint("b", "c1")));
        fleet.store.delete(ResourceKeys.key(Kind.ENDPOINT, "c"));
        fleet.catchUp();

        assertThat(fleet.pending.inNameOrder("c1")).isEmpty();
        assertThat(fleet.pending.inNameOrder("c2")).containsExactly("a");
    }

    private static Endpoint suspended(Endpoint endpoint) {
        return endpoint.withStatus(new Endpoint.Status(Endpoint.Phase.Suspended, null, Cu.ZERO, null, List.of(), null,
                null, 1L, null));
    }
}
