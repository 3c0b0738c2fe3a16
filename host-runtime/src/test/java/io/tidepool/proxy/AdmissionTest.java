package io.tidepool.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class AdmissionTest {
    private static final Instant T0 = Instant.parse("2026-12-07T08:00:00Z");
    private static final Admission.Bounds BOUNDS = new Admission.Bounds(Duration.ofSeconds(30), Duration.ofSeconds(10));
    private static final EndpointState.Backend BACKEND = new EndpointState.Backend("127.0.0.1", 55432);
    private static final EndpointState RUNNING = new EndpointState(Optional.of(BACKEND), false, false, false, false, null);
    private static final EndpointState SUSPENDED = new EndpointState(Optional.empty(), true, false, false, false, null);
    private static final EndpointState SWITCHING = new EndpointState(Optional.empty(), false, false, true, false, null);

    @Test
    void routesToTheRunningPrimary() {
        assertThat(Admission.decide("shop", RUNNING, T0, false, BOUNDS, T0)).isEqualTo(new Admission.Route(BACKEND));
    }

    @Test
    void wakesASuspendedEndpointOnce() {
        assertThat(Admission.decide("shop", SUSPENDED, T0, false, BOUNDS, T0)).isInstanceOf(Admission.Wake.class);
        assertThat(Admission.decide("shop", SUSPENDED, T0, true, BOUNDS, T0)).isInstanceOf(Admission.Hold.class);
    }

    @Test
    void holdsWithoutAskingAgainWhenSomeoneAskedForTheResumeAlready() {
        EndpointState requested = new EndpointState(Optional.empty(), true, true, false, false, null);
        assertThat(Admission.decide("shop", requested, T0, false, BOUNDS, T0))
                .isEqualTo(new Admission.Hold(Duration.ofSeconds(30), "resume"));
    }

    @Test
    void refusesAResumeThatTakesLongerThanItsBound() {
        Admission.Decision late = Admission.decide("shop", SUSPENDED, T0, true, BOUNDS, T0.plusSeconds(30));
        assertThat(late).isInstanceOf(Admission.Refuse.class);
        ErrorResponse error = ((Admission.Refuse) late).error();
        assertThat(error.sqlState()).isEqualTo(ErrorResponse.CANNOT_CONNECT_NOW);
        assertThat(error.message()).isEqualTo("endpoint shop did not resume within 30 s; try again");
    }

    @Test
    void holdsDuringASwitchoverForItsShorterBound() {
        assertThat(Admission.decide("shop", SWITCHING, T0, false, BOUNDS, T0.plusSeconds(4)))
                .isEqualTo(new Admission.Hold(Duration.ofSeconds(6), "switch over to its new primary"));
        assertThat(Admission.decide("shop", SWITCHING, T0, false, BOUNDS, T0.plusSeconds(10)))
                .isInstanceOf(Admission.Refuse.class);
    }

    @Test
    void refusesAnUnknownEndpointASimulatedOneAndAFailedOne() {
        assertThat(message(Admission.decide("gone", null, T0, false, BOUNDS, T0)))
                .isEqualTo("endpoint gone does not exist (any more)");
        EndpointState simulated = new EndpointState(Optional.empty(), false, false, false, true, null);
        assertThat(message(Admission.decide("sim", simulated, T0, false, BOUNDS, T0))).contains("simulated compute");
        EndpointState failed = new EndpointState(Optional.empty(), false, false, false, false, "initdb failed");
        assertThat(message(Admission.decide("bad", failed, T0, false, BOUNDS, T0)))
                .isEqualTo("endpoint bad has failed: initdb failed");
    }

    @Property
    void neverHoldsPastItsBound(@ForAll @LongRange(min = 0, max = 60_000) long waitedMs, @ForAll boolean suspended,
                                @ForAll boolean switching, @ForAll boolean woke) {
        EndpointState state = new EndpointState(Optional.empty(), suspended, false, switching, false, null);
        Admission.Decision decision = Admission.decide("shop", state, T0, woke, BOUNDS, T0.plusMillis(waitedMs));
        if (decision instanceof Admission.Hold hold) {
            assertThat(Duration.ofMillis(waitedMs).plus(hold.recheckAfter())).isLessThanOrEqualTo(BOUNDS.resume());
            assertThat(hold.recheckAfter()).isPositive();
        }
        if (waitedMs >= BOUNDS.resume().toMillis()) {
            assertThat(decision).isNotInstanceOf(Admission.Hold.class);
        }
    }

    private static String message(Admission.Decision decision) {
        return ((Admission.Refuse) decision).error().message();
    }
}
