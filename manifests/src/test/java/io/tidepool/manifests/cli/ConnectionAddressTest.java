package io.tidepool.manifests.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidepool.api.quantity.Cu;
import io.tidepool.api.resource.Endpoint;
import io.tidepool.api.resource.ObjectMeta;
import org.junit.jupiter.api.Test;

class ConnectionAddressTest {

    @Test
    void anEndpointsAddressIsItsConnectionString() {
        String address = "postgresql://postgres@127.0.0.1:6500/postgres";
        assertThat(ConnectionAddress.of(endpoint(Endpoint.Phase.Suspended, address))).isEqualTo(address);
    }

    @Test
    void anEndpointWithoutAnAddressOrOnASimulatedComputeSaysWhy() {
        assertThatThrownBy(() -> ConnectionAddress.of(endpoint(Endpoint.Phase.Pending, null)))
                .hasMessage("Endpoint/shop has no address yet (phase Pending): it gets one once it is placed");
        assertThatThrownBy(() -> ConnectionAddress.of(endpoint(Endpoint.Phase.Running, "sim://local-host-1/shop-1")))
                .hasMessageContaining("simulated compute");
    }

    private static Endpoint endpoint(Endpoint.Phase phase, String address) {
        return new Endpoint(ObjectMeta.named("shop"), new Endpoint.Spec("local",
                new Endpoint.ComputeRange(Cu.QUARTER, Cu.ofWhole(1)), null, null, null),
                new Endpoint.Status(phase, null, null, address, null, null, null, null, null));
    }
}
