package io.tidepool.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SuspendPolicyTest {
    private static final Duration FIVE_MINUTES = Duration.ofMinutes(5);
    private static final Instant TERM_START = Instant.parse("2026-01-05T08:00:00Z");

    @Test
    void suspendsOnceIdleForSuspendAfter() {
        Instant started = TERM_START.plus(Duration.ofMinutes(1));
        Instant lastActive = started.plus(Duration.ofMinutes(10));

        SuspendPolicy.Decision early = SuspendPolicy.decide(FIVE_MINUTES, lastActive, started, TERM_START,
                lastActive.plus(Duration.ofMinutes(4)));
        SuspendPolicy.Decision due = SuspendPolicy.decide(FIVE_MINUTES, lastActive, started, TERM_START,
                lastActive.plus(FIVE_MINUTES));

        assertThat(early.suspend()).isFalse();
        assertThat(early.recheckAt()).isEqualTo(lastActive.plus(FIVE_MINUTES));
        assertThat(due.suspend()).isTrue();
    }

    @Test
    void aJustResumedEndpointGetsAWholeSuspendAfterFromItsNewCompute() {
        // Last active long ago, before it was suspended; the resume placed a new compute just now.
        Instant lastActive = TERM_START.plus(Duration.ofMinutes(2));
        Instant resumedComputeStarted = TERM_START.plus(Duration.ofHours(3));

        SuspendPolicy.Decision justRunning = SuspendPolicy.decide(FIVE_MINUTES, lastActive, resumedComputeStarted,
                TERM_START, resumedComputeStarted.plus(Duration.ofSeconds(5)));
        SuspendPolicy.Decision later = SuspendPolicy.decide(FIVE_MINUTES, lastActive, resumedComputeStarted,
                TERM_START, resumedComputeStarted.plus(FIVE_MINUTES));

        assertThat(justRunning.suspend()).isFalse();
        assertThat(justRunning.recheckAt()).isEqualTo(resumedComputeStarted.plus(FIVE_MINUTES));
        assertThat(later.suspend()).isTrue();
    }

    @Test
    void aNewLeaderWaitsAWholeSuspendAfterBeforeSuspendingWhatItHasNotSeen() {
        Instant longAgo = TERM_START.minus(Duration.ofDays(1));

        assertThat(SuspendPolicy.decide(FIVE_MINUTES, null, longAgo, TERM_START, TERM_START.plus(Duration.ofMinutes(4)))
                .suspend()).isFalse();
    }

    @Test
    void neverSuspendsWithoutSuspendAfter() {
        SuspendPolicy.Decision decision = SuspendPolicy.decide(null, null, TERM_START, TERM_START,
                TERM_START.plus(Duration.ofDays(30)));

        assertThat(decision.suspend()).isFalse();
        assertThat(decision.recheckAt()).isNull();
    }
}
