package io.tidepool.guest.pressure;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidepool.guest.pressure.BriefFreeze.Action;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class BriefFreezeTest {
    private static final Instant T0 = Instant.parse("2026-01-05T00:00:00Z");
    private static final long GIB = 1L << 30;
    private static final BriefFreeze.Settings SETTINGS = BriefFreeze.Settings.DEFAULT;

    private final BriefFreeze freeze = new BriefFreeze(SETTINGS);

    @Test
    void freezesPastTheThrottlingPointAndThawsTheMomentTheLimitRises() {
        assertThat(freeze.next(at(0), GIB, false)).isEqualTo(Action.NONE);
        assertThat(freeze.next(at(5), GIB, true)).isEqualTo(Action.FREEZE);
        assertThat(freeze.thawBy()).isEqualTo(at(25));
        assertThat(freeze.next(at(10), GIB, true)).isEqualTo(Action.NONE);
        assertThat(freeze.next(at(12), 2 * GIB, true)).as("raised").isEqualTo(Action.THAW);
        assertThat(freeze.frozen()).isFalse();
    }

    @Test
    void withoutARaiseThawsOnTimeAndLetsTheComputeRunBeforeFreezingAgain() {
        freeze.next(at(0), GIB, true);
        assertThat(freeze.next(at(19), GIB, true)).isEqualTo(Action.NONE);
        assertThat(freeze.next(at(20), GIB, true)).as("time is up").isEqualTo(Action.THAW);
        assertThat(freeze.next(at(25), GIB, true)).as("within the pause").isEqualTo(Action.NONE);
        assertThat(freeze.next(at(1020), GIB, true)).as("after the pause").isEqualTo(Action.FREEZE);
    }

    @Test
    void releaseSaysWhetherAFreezeWasOn() {
        assertThat(freeze.release()).isFalse();
        freeze.next(at(0), GIB, true);
        assertThat(freeze.release()).isTrue();
        assertThat(freeze.frozen()).isFalse();
    }

    /**
     * Whatever the readings, read at most 5 ms apart (the guest's poll, shortened to end a freeze
     * on time): no freeze outlasts its maximum by more than that, freezes and thaws alternate, and
     * between a thaw and the next freeze the compute runs at least the pause.
     */
    @Property
    void freezesAreShortAndSpacedOut(@ForAll("readings") List<Reading> readings) {
        BriefFreeze watched = new BriefFreeze(SETTINGS);
        Instant now = T0;
        Instant frozenAt = null;
        Instant thawedAt = null;
        for (Reading reading : readings) {
            now = now.plusMillis(reading.afterMillis());
            if (watched.frozen()) {
                assertThat(Duration.between(frozenAt, now)).isLessThanOrEqualTo(SETTINGS.max().plusMillis(5));
            }
            Action action = watched.next(now, reading.limit(), reading.overHigh());
            if (action == Action.FREEZE) {
                assertThat(frozenAt).as("not frozen twice").isNull();
                if (thawedAt != null) {
                    assertThat(Duration.between(thawedAt, now)).isGreaterThanOrEqualTo(SETTINGS.pause());
                }
                frozenAt = now;
            } else if (action == Action.THAW) {
                assertThat(frozenAt).as("thawed only when frozen").isNotNull();
                frozenAt = null;
                thawedAt = now;
            }
            assertThat(watched.frozen()).isEqualTo(frozenAt != null);
        }
    }

    record Reading(int afterMillis, long limit, boolean overHigh) {
    }

    @Provide
    Arbitrary<List<Reading>> readings() {
        Arbitrary<Reading> reading = Combinators.combine(
                Arbitraries.integers().between(1, 5).injectDuplicates(0.1),
                Arbitraries.of(GIB, 2 * GIB),
                Arbitraries.of(true, false)).as(Reading::new);
        return reading.list().ofMinSize(1).ofMaxSize(600);
    }

    private static Instant at(long millis) {
        return T0.plusMillis(millis);
    }
}
