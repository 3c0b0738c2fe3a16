package io.tidepool.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidepool.api.quantity.Cu;
import io.tidepool.api.resource.Endpoint;
import io.tidepool.api.resource.ObjectMeta;
import io.tidepool.placement.PlacementNeed;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResumeRequestTest {
    private static final Instant NOW = Instant.parse("2026-01-05T10:00:00Z");

    @Test
    void asksPlacementForAComputeForASuspendedEndpoint() {
        Endpoint suspended = endpoint(Endpoint.Phase.Suspended, null);
        assertThat(PlacementNeed.needsCompute(suspended, null)).isFalse();

        ResumeRequest.Outcome outcome = ResumeRequest.ask(suspended, NOW);

        assertThat(outcome).isInstanceOf(ResumeRequest.Requested.class);
        Endpoint next = ((ResumeRequest.Requested) outcome).next();
        assertThat(next.status().resumeRequestedAt()).isEqualTo(NOW);
        assertThat(next.status().phase()).isEqualTo(Endpoint.Phase.Suspended);
        assertThat(next.status().epoch()).isEqualTo(3L);
        assertThat(PlacementNeed.needsCompute(next, null)).isTrue();
    }

    @Test
    void changesNothingWhenAlreadyAsked() {
        Instant earlier = NOW.minus(Duration.ofSeconds(3));

        assertThat(ResumeRequest.ask(endpoint(Endpoint.Phase.Suspended, earlier), NOW))
                .isEqualTo(new ResumeRequest.AlreadyRequested(earlier));
    }

    @Test
    void refusesAnEndpointThatIsNotSuspendedAndSaysWhy() {
        ResumeRequest.Outcome running = ResumeRequest.ask(endpoint(Endpoint.Phase.Running, null), NOW);
        ResumeRequest.Outcome neverPlaced = ResumeRequest.ask(
                new Endpoint(ObjectMeta.named("shop"), spec(), null), NOW);

        assertThat(running).isInstanceOf(ResumeRequest.NotSuspended.class);
        assertThat(((ResumeRequest.NotSuspended) running).explanation())
                .isEqualTo("Endpoint/shop is not suspended (phase Running): there is nothing to resume");
        assertThat(((ResumeRequest.NotSuspended) neverPlaced).explanation()).contains("phase Pending");
    }

    private static Endpoint endpoint(Endpoint.Phase phase, Instant resumeRequestedAt) {
        return new Endpoint(ObjectMeta.named("shop"), spec(), new Endpoint.Status(phase, null, Cu.ZERO, null,
                List.of(), null, null, 3L, resumeRequestedAt));
    }

    private static Endpoint.Spec spec() {
        return new Endpoint.Spec("c1", new Endpoint.ComputeRange(Cu.QUARTER, Cu.ofWhole(2)), null,
                Duration.ofMinutes(5), null);
    }
}
