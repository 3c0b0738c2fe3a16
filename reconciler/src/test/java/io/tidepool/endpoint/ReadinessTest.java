package io.tidepool.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidepool.api.quantity.Cu;
import io.tidepool.api.quantity.RestartWindow;
import io.tidepool.api.resource.Compute;
import io.tidepool.api.resource.Condition;
import io.tidepool.api.resource.Endpoint;
import io.tidepool.api.resource.ObjectMeta;
import io.tidepool.control.Conditions;
import io.tidepool.endpoint.Readiness.State;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReadinessTest {
    /** A Monday. */
    private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");
    private static final Endpoint.Postgres PG15 = new Endpoint.Postgres("15", Map.of());
    private static final RestartWindow SATURDAY_NIGHT =
            new RestartWindow(List.of(DayOfWeek.SATURDAY), LocalTime.of(2, 0), Duration.ofHours(2), RestartWindow.DEFAULT_TIME_ZONE);

    @Test
    void anEndpointNotYetStoredOrPlacedIsPendingAndSaysWhyItIsNotPlaced() {
        Condition unschedulable = new Condition(Conditions.SCHEDULED, Condition.Status.False, "Unschedulable",
                "no host of cell local has 4 CU free", NOW);

        assertThat(Readiness.of(null, null, NOW).state()).isEqualTo(State.Pending);
        assertThat(Readiness.of(endpoint(null), null, NOW).message()).isEqualTo("not placed yet");
        assertThat(Readiness.of(endpoint(status(Endpoint.Phase.Pending, List.of(unschedulable))), null, NOW))
                .isEqualTo(new Readiness.Verdict(State.Pending, "not placed: no host of cell local has 4 CU free"));
    }

    @Test
    void aRunningPrimaryWithinItsBoundsIsReady() {
        Readiness.Verdict verdict = Readiness.of(endpoint(status(Endpoint.Phase.Running, List.of())),
                primary(Compute.Phase.Running, "1", PG15), NOW);

        assertThat(verdict).isEqualTo(new Readiness.Verdict(State.Ready, "running on h1 with 1 CU"));
    }

    @Test
    void aPrimaryStillStartingOrOutsideTheBoundsIsPending() {
        Endpoint running = endpoint(status(Endpoint.Phase.Running, List.of()));

        assertThat(Readiness.of(running, primary(Compute.Phase.Starting, "1", PG15), NOW).message())
                .isEqualTo("starting on h1 (Starting)");
        assertThat(Readiness.of(running, primary(Compute.Phase.Running, "4", PG15), NOW).message())
                .isEqualTo("resizing: runs 4 CU, its bounds are 0.5 to 2 CU");
    }

    @Test
    void aRestartWaitingForItsWindowIsSettledAndSaysWhenTheWindowOpens() {
        Condition waiting = new Condition(Conditions.RESTART_PENDING, Condition.Status.True, "WaitingForWindow",
                "restart for postgres 15 -> 16", NOW);
        Endpoint endpoint = endpoint(status(Endpoint.Phase.Running, List.of(waiting)));

        Readiness.Verdict verdict = Readiness.of(endpoint, primary(Compute.Phase.Running, "1", PG15), NOW);

        assertThat(verdict.state()).isEqualTo(State.WaitingForWindow);
        assertThat(verdict.state().settled()).isTrue();
        assertThat(verdict.message()).isEqualTo("restart for postgres 15 -> 16; waits for its window, which opens at "
                + "2026-12-12T02:00:00Z");
    }

    @Test
    void aPrimaryOnOtherPostgresThanTheSpecIsPendingUntilTheRestartIsPlanned() {
        Endpoint endpoint = endpoint(status(Endpoint.Phase.Running, List.of()));

        Readiness.Verdict verdict = Readiness.of(endpoint,
                primary(Compute.Phase.Running, "1", new Endpoint.Postgres("14", Map.of())), NOW);

        assertThat(verdict.state()).isEqualTo(State.Pending);
    }

    @Test
    void suspendedIsSettledAndFailedIsNot() {
        assertThat(Readiness.of(endpoint(status(Endpoint.Phase.Suspended, List.of())), null, NOW).state().settled()).isTrue();
        assertThat(Readiness.of(endpoint(status(Endpoint.Phase.Failed, List.of())), null, NOW).state().settled()).isFalse();
    }

    @Test
    void aPrunedEndpointIsSettledOnceGone() {
        assertThat(Readiness.ofPruned(null).state()).isEqualTo(State.Gone);
        assertThat(Readiness.ofPruned(endpoint(null)).state()).isEqualTo(State.Pending);
    }

    private static Endpoint endpoint(Endpoint.Status status) {
        return new Endpoint(ObjectMeta.named("shop"), new Endpoint.Spec("local",
                new Endpoint.ComputeRange(Cu.parse("0.5"), Cu.ofWhole(2)), PG15, null, SATURDAY_NIGHT), status);
    }

    private static Endpoint.Status status(Endpoint.Phase phase, List<Condition> conditions) {
        return new Endpoint.Status(phase, "h1", Cu.ofWhole(1), null, conditions, null, "shop-1", 1L, null);
    }

    private static Compute primary(Compute.Phase phase, String cu, Endpoint.Postgres postgres) {
        return new Compute(ObjectMeta.named("shop-1"), new Compute.Spec("shop", "h1", Cu.parse(cu), Compute.Role.primary, 1,
                postgres), new Compute.Status(phase, Cu.parse(cu), null, null, List.of()));
    }
}
