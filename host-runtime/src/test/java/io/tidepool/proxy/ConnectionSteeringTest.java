package io.tidepool.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** When an endpoint's new connections may go straight to its primary: exactly when the proxy would route them there. */
class ConnectionSteeringTest {
    private static final EndpointState.Backend PRIMARY = new EndpointState.Backend("127.0.0.1", 5432);

    @Test
    void aRunningPrimaryIsTheTarget() {
        assertThat(ConnectionSteering.target(new EndpointState(Optional.of(PRIMARY), false, false, false, false, null)))
                .contains(PRIMARY);
    }

    @Test
    void anEndpointThatHoldsWakesOrRefusesNewConnectionsIsNotSteered() {
        assertThat(ConnectionSteering.target(null)).as("unknown").isEmpty();
        assertThat(ConnectionSteering.target(new EndpointState(Optional.empty(), true, false, false, false, null)))
                .as("suspended").isEmpty();
        assertThat(ConnectionSteering.target(new EndpointState(Optional.empty(), false, false, true, false, null)))
                .as("switching over").isEmpty();
        assertThat(ConnectionSteering.target(new EndpointState(Optional.empty(), false, false, false, false, null)))
                .as("starting").isEmpty();
        assertThat(ConnectionSteering.target(new EndpointState(Optional.empty(), false, false, false, true, null)))
                .as("simulated").isEmpty();
        assertThat(ConnectionSteering.target(new EndpointState(Optional.of(PRIMARY), false, false, false, false, "broken")))
                .as("failed").isEmpty();
    }

    @Test
    void everyStateSteeredIsOneTheProxyRoutesToTheSameBackend() {
        for (boolean suspended : new boolean[] {false, true}) {
            for (boolean switching : new boolean[] {false, true}) {
                for (boolean simulated : new boolean[] {false, true}) {
                    for (String failure : new String[] {null, "broken"}) {
                        EndpointState state = new EndpointState(Optional.of(PRIMARY), suspended, false, switching, simulated,
                                failure);
                        Admission.Decision decision = Admission.decide("shop", state, java.time.Instant.EPOCH, false,
                                Admission.Bounds.DEFAULT, java.time.Instant.EPOCH);
                        ConnectionSteering.target(state).ifPresent(backend ->
                                assertThat(decision).isEqualTo(new Admission.Route(backend)));
                    }
                }
            }
        }
    }
}
