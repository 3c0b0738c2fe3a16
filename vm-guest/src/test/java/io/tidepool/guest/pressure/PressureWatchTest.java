package io.tidepool.guest.pressure;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidepool.guest.pressure.PressureWatch.Action;
import io.tidepool.guest.pressure.PressureWatch.HoldAtLimit;
import io.tidepool.guest.pressure.PressureWatch.Reading;
import io.tidepool.guest.pressure.PressureWatch.RequestUpscale;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class PressureWatchTest {
    private static final Instant T0 = Instant.parse("2026-01-05T00:00:00Z");
    private static final long GIB = 1L << 30;
    private static final PressureWatch.Settings SETTINGS = PressureWatch.Settings.DEFAULT;

    private final PressureWatch watch = new PressureWatch(SETTINGS);

    @Test
    void theFirstReadingLetsTasksWaitAtTheLimitInsteadOfBeingKilled() {
        assertThat(watch.next(reading(0, GIB, GIB / 4, false))).containsExactly(new HoldAtLimit(true));
        assertThat(watch.next(reading(5, GIB, GIB / 4, false))).isEmpty();
    }

    @Test
    void memoryNearTheLimitAsksForMoreAtOnce() {
        watch.next(reading(0, GIB, GIB / 4, false));

        List<Action> actions = watch.next(reading(5, GIB, (long) (0.95 * GIB), false));

        assertThat(actions).hasSize(1).first().isInstanceOfSatisfying(RequestUpscale.class, request -> {
            assertThat(request.neededBytes()).isGreaterThanOrEqualTo((long) (0.95 * GIB / 0.9)).isGreaterThanOrEqualTo(GIB * 5 / 4);
            assertThat(request.reason()).isEqualTo("972 MiB in use of a 1024 MiB limit");
        });
    }

    @Test
    void anUnansweredRequestIsMadeAgainOnlyAfterAWhile() {
        watch.next(reading(0, GIB, GIB, false));
        assertThat(watch.next(reading(5, GIB, GIB, true))).isEmpty();
        assertThat(watch.next(reading(499, GIB, GIB, true))).isEmpty();
        assertThat(watch.next(reading(500, GIB, GIB, true))).singleElement().isInstanceOf(RequestUpscale.class);
    }

    @Test
    void aRaisedLimitAnswersTheRequestAndNewPressureAsksAgainAtOnce() {
        watch.next(reading(0, GIB, GIB, false));
        assertThat(watch.next(reading(5, 2 * GIB, 2 * GIB - 1, false))).singleElement().isInstanceOf(RequestUpscale.class);
    }

    @Test
    void tasksWaitAtTheLimitNoLongerThanTheHoldAndAreHeldAgainOnceItIsOver() {
        watch.next(reading(0, GIB, GIB, true));
        assertThat(watch.next(reading(9_999, GIB, GIB, true))).doesNotContain(new HoldAtLimit(false));

        assertThat(watch.next(reading(10_000, GIB, GIB, true))).contains(new HoldAtLimit(false));
        assertThat(watch.next(reading(10_005, GIB, GIB, true))).doesNotContain(new HoldAtLimit(true));

        assertThat(watch.next(reading(10_010, GIB, GIB / 2, false))).containsExactly(new HoldAtLimit(true));
    }

    /**
     * Over any run of readings: requests for one limit are at least requestAgain apart, and tasks
     * never wait at the limit for longer than the hold (plus the one reading that ends it).
     */
    @Property(tries = 300)
    void requestsAreSpacedAndHoldsAreBounded(@ForAll("runs") List<Reading> readings) {
        PressureWatch watch = new PressureWatch(SETTINGS);
        Instant lastRequest = null;
        long lastRequestLimit = -1;
        boolean holding = false;
        Instant waitingSince = null;
        Instant previous = null;
        for (Reading reading : readings) {
            if (reading.limitBytes() != lastRequestLimit) {
                lastRequest = null; // a changed limit answers the request
            }
            for (Action action : watch.next(reading)) {
                if (action instanceof RequestUpscale) {
                    if (lastRequest != null) {
                        assertThat(Duration.between(lastRequest, reading.at())).isGreaterThanOrEqualTo(SETTINGS.requestAgain());
                    }
                    lastRequest = reading.at();
                    lastRequestLimit = reading.limitBytes();
                } else if (action instanceof HoldAtLimit hold) {
                    holding = hold.hold();
                }
            }
            if (holding && reading.underOom()) {
                waitingSince = waitingSince == null ? reading.at() : waitingSince;
                assertThat(Duration.between(waitingSince, reading.at())).isLessThan(SETTINGS.holdMax());
            } else {
                waitingSince = null;
            }
            previous = reading.at();
        }
        assertThat(previous).isNotNull();
    }

    @Test
    void isSettledOnceHoldingIsOnAndAgainOnceARequestIsAnswered() {
        assertThat(watch.settled()).isFalse();
        watch.next(reading(0, GIB, GIB / 4, false));
        assertThat(watch.settled()).isTrue();
        watch.next(reading(5, GIB, GIB, false));
        assertThat(watch.settled()).as("a request stands").isFalse();
        watch.next(reading(10, 2 * GIB, GIB, false));
        assertThat(watch.settled()).isTrue();
    }

    @Property(tries = 300)
    void aSettledWatchDoesNothingForAReadingWithoutPressure(@ForAll("runs") List<Reading> readings) {
        PressureWatch watch = new PressureWatch(SETTINGS);
        for (Reading reading : readings) {
            boolean calm = !reading.underOom() && reading.unreclaimableBytes() < (long) (reading.limitBytes() * SETTINGS.threshold());
            if (watch.settled() && calm) {
                assertThat(watch.next(reading)).isEmpty();
                assertThat(watch.settled()).isTrue();
            } else {
                watch.next(reading);
            }
        }
    }

    @Provide
    Arbitrary<List<Reading>> runs() {
        Arbitrary<Long> limits = Arbitraries.of(GIB, 2 * GIB, 4 * GIB);
        Arbitrary<Double> use = Arbitraries.doubles().between(0, 1.05);
        Arbitrary<Boolean> waiting = Arbitraries.of(true, false);
        Arbitrary<Integer> gaps = Arbitraries.integers().between(1, 3_000);
        return Combinators.combine(limits, use, waiting, gaps).as((limit, share, oom, gap) -> new long[] {limit, (long) (share * limit), oom ? 1 : 0, gap})
                .list().ofMinSize(1).ofMaxSize(200)
                .map(steps -> {
                    long at = 0;
                    List<Reading> readings = new ArrayList<>();
                    for (long[] step : steps) {
                        at += step[3];
                        readings.add(new Reading(T0.plusMillis(at), step[0], step[1], step[2] == 1));
                    }
                    return readings;
                });
    }

    private static Reading reading(long millis, long limit, long unreclaimable, boolean underOom) {
        return new Reading(T0.plusMillis(millis), limit, unreclaimable, underOom);
    }
}
