package io.tidepool.restart;

import static io.tidepool.restart.RestartWindowsTest.berlin;
import static io.tidepool.restart.RestartWindowsTest.utc;
import static io.tidepool.restart.RestartWindowsTest.window;
import static org.assertj.core.api.Assertions.assertThat;

import io.tidepool.api.quantity.RestartWindow;
import io.tidepool.api.resource.Endpoint;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class RestartPlannerTest {
    private static final RestartNeed UPGRADE = RestartNeed.between(new Endpoint.Postgres("16", Map.of()),
            new Endpoint.Postgres("15", Map.of()));
    private static final RestartWindow SUNDAY_BERLIN = window(List.of(DayOfWeek.SUNDAY), "02:00", "PT2H", "Europe/Berlin");
    private static final Duration LEAD = Duration.ofMinutes(10);

    @Test
    void waitsUntilTheLeadBeforeTheWindowOpens() {
        RestartDecision decision = decide(RestartInput.Replacement.NONE, 0, berlin("2024-01-13T22:50"));

        assertThat(decision).isEqualTo(new RestartDecision.Wait(berlin("2024-01-14T01:50"),
                "restart for postgres 15 -> 16: window opens Sun 02:00 Europe/Berlin (in 3h10m); replacement starts at 01:50"));
    }

    @Test
    void startsTheReplacementSoItIsWarmWhenTheWindowOpens() {
        RestartDecision decision = decide(RestartInput.Replacement.NONE, 0, berlin("2024-01-14T01:50"));

        assertThat(decision).isEqualTo(new RestartDecision.StartReplacement("restart for postgres 15 -> 16: window opens"
                + " Sun 02:00 Europe/Berlin (in 10m); starting a replacement to be warm by then"));
    }

    @Test
    void waitsForASlotWhenTheCellIsAtItsRestartLimit() {
        Instant now = berlin("2024-01-14T01:55");

        RestartDecision decision = decide(RestartInput.Replacement.NONE, 2, now);

        assertThat(decision).isEqualTo(new RestartDecision.Wait(now.plus(RestartPlanner.RECHECK), "restart for postgres"
                + " 15 -> 16: window opens Sun 02:00 Europe/Berlin (in 5m); the cell has 2 of 2 restarts in flight,"
                + " waiting for a slot"));
    }

    @Test
    void switchesOnlyOnceTheWindowIsOpenAndTheReplacementWarm() {
        Instant started = berlin("2024-01-14T01:50");

        RestartDecision early = decide(RestartInput.Replacement.warm(started), 1, berlin("2024-01-14T01:59"));
        RestartDecision warming = decide(RestartInput.Replacement.starting(started), 1, berlin("2024-01-14T02:05"));
        RestartDecision open = decide(RestartInput.Replacement.warm(started), 1, berlin("2024-01-14T02:06"));

        assertThat(early).isEqualTo(new RestartDecision.Wait(berlin("2024-01-14T02:00"),
                "restart for postgres 15 -> 16: replacement warm, window opens Sun 02:00 Europe/Berlin (in 1m)"));
        assertThat(warming).isEqualTo(new RestartDecision.Wait(berlin("2024-01-14T02:06"),
                "restart for postgres 15 -> 16: replacement warming, window open until Sun 04:00 Europe/Berlin"));
        assertThat(open).isEqualTo(new RestartDecision.Switch(
                "restart for postgres 15 -> 16: replacement warm, window open until Sun 04:00 Europe/Berlin; switching to it"));
    }

    @Test
    void retiresAReplacementThatMissedItsWindow() {
        RestartDecision decision = decide(RestartInput.Replacement.starting(berlin("2024-01-14T01:50")), 1,
                berlin("2024-01-14T04:00"));

        assertThat(decision).isEqualTo(new RestartDecision.RetireReplacement("restart for postgres 15 -> 16: the window"
                + " that opened Sun 02:00 Europe/Berlin closed before the switch; retiring the replacement, next window"
                + " opens Sun 02:00 Europe/Berlin"));
    }

    @Test
    void doesNotStartAReplacementThatCouldNotBeWarmBeforeTheWindowCloses() {
        RestartDecision decision = decide(RestartInput.Replacement.NONE, 0, berlin("2024-01-14T03:55"));

        assertThat(decision).isEqualTo(new RestartDecision.Wait(berlin("2024-01-21T01:50"), "restart for postgres"
                + " 15 -> 16: window closes at Sun 04:00 Europe/Berlin, too soon to warm a replacement (10m); next window"
                + " opens Sun 02:00 Europe/Berlin, replacement starts at Sun 01:50 Europe/Berlin"));
    }

    @Test
    void retiresTheReplacementWhenTheSpecChangesBack() {
        RestartInput reverted = new RestartInput(RestartNeed.NONE, SUNDAY_BERLIN,
                RestartInput.Replacement.starting(berlin("2024-01-14T01:50")), LEAD, 1, 2);
        RestartInput reload = new RestartInput(RestartNeed.between(new Endpoint.Postgres("15", Map.of("work_mem", "8MB")),
                new Endpoint.Postgres("15", Map.of())), SUNDAY_BERLIN, RestartInput.Replacement.NONE, LEAD, 0, 2);

        assertThat(RestartPlanner.decide(reverted, berlin("2024-01-14T01:55")))
                .isInstanceOf(RestartDecision.RetireReplacement.class)
                .extracting(RestartDecision::explanation).asString().startsWith("no restart needed any more");
        assertThat(RestartPlanner.decide(reload, berlin("2024-01-14T01:55")))
                .isEqualTo(new RestartDecision.Nothing("no restart needed; reload for work_mem default -> 8MB"));
    }

    @Test
    void withoutAWindowRestartsAtOnce() {
        RestartInput none = new RestartInput(UPGRADE, null, RestartInput.Replacement.NONE, LEAD, 0, 2);
        RestartInput warm = new RestartInput(UPGRADE, null, RestartInput.Replacement.warm(utc("2024-01-14T00:00")), LEAD, 1, 2);

        assertThat(RestartPlanner.decide(none, utc("2024-01-14T00:00"))).isInstanceOf(RestartDecision.StartReplacement.class);
        assertThat(RestartPlanner.decide(warm, utc("2024-01-14T00:10"))).isInstanceOf(RestartDecision.Switch.class);
    }

    @Test
    void aWindowOpenAroundTheClockSwitchesAndSaysSo() {
        RestartWindow always = window(List.of(DayOfWeek.values()), "00:00", "PT24H", "Europe/Berlin");
        RestartInput starting = new RestartInput(UPGRADE, always, RestartInput.Replacement.starting(berlin("2024-01-14T01:50")),
                LEAD, 1, 2);
        RestartInput warm = new RestartInput(UPGRADE, always, RestartInput.Replacement.warm(berlin("2024-01-14T01:50")),
                LEAD, 1, 2);

        assertThat(RestartPlanner.decide(starting, berlin("2024-01-14T01:55"))).isEqualTo(new RestartDecision.Wait(
                berlin("2024-01-14T01:56"), "restart for postgres 15 -> 16: replacement warming, window open around the clock"));
        assertThat(RestartPlanner.decide(warm, berlin("2024-01-14T02:00"))).isEqualTo(new RestartDecision.Switch(
                "restart for postgres 15 -> 16: replacement warm, window open around the clock; switching to it"));
    }

    @Test
    void aFailingReplacementGetsItsDriversRetriesThenIsRetiredForAFreshOneInTheSameWindow() {
        Instant started = berlin("2024-01-14T01:50");
        RestartInput.Replacement failing = RestartInput.Replacement.failing(started, berlin("2024-01-14T02:01"),
                "starting failed: pg_basebackup: could not connect", 0);

        RestartDecision soon = decide(failing, 1, berlin("2024-01-14T02:02"));
        RestartDecision later = decide(failing, 1, berlin("2024-01-14T02:03"));
        RestartDecision fresh = decide(RestartInput.Replacement.NONE, 0, berlin("2024-01-14T02:03"));

        assertThat(soon).isEqualTo(new RestartDecision.Wait(berlin("2024-01-14T02:03"), "restart for postgres 15 -> 16:"
                + " replacement failing since Sun 02:01 Europe/Berlin (starting failed: pg_basebackup: could not connect),"
                + " window open until Sun 04:00 Europe/Berlin; giving it up at Sun 02:03 Europe/Berlin"));
        assertThat(later).isEqualTo(new RestartDecision.RetireReplacement("restart for postgres 15 -> 16: replacement"
                + " failing since Sun 02:01 Europe/Berlin (starting failed: pg_basebackup: could not connect); retiring it,"
                + " a fresh one starts now"));
        assertThat(fresh).isInstanceOf(RestartDecision.StartReplacement.class);
    }

    @Test
    void eachReplacementGivenUpDoublesHowLongTheNextMayFailSoARefusedOneIsNotReplacedEveryTwoMinutes() {
        Instant since = berlin("2024-01-14T02:01");
        RestartInput.Replacement third = RestartInput.Replacement.failing(berlin("2024-01-14T02:00"), since,
                "Postgres 16 is not installed here", 2);

        assertThat(decide(third, 1, since.plus(Duration.ofMinutes(7)))).isInstanceOf(RestartDecision.Wait.class);
        assertThat(decide(third, 1, since.plus(Duration.ofMinutes(8)))).isInstanceOf(RestartDecision.RetireReplacement.class);
        assertThat(RestartPlanner.failingGrace(0)).isEqualTo(Duration.ofMinutes(2));
        assertThat(RestartPlanner.failingGrace(40)).isEqualTo(RestartPlanner.LONGEST_FAILING_GRACE);
    }

    @Test
    void aReplacementFailingTooLateInItsWindowIsRetiredAndAFreshOneWaitsForTheNext() {
        RestartInput.Replacement failing = RestartInput.Replacement.failing(berlin("2024-01-14T03:00"),
                berlin("2024-01-14T03:50"), "starting failed: disk full", 0);

        RestartDecision decision = decide(failing, 1, berlin("2024-01-14T03:55"));

        assertThat(decision).isEqualTo(new RestartDecision.RetireReplacement("restart for postgres 15 -> 16: replacement"
                + " failing since Sun 03:50 Europe/Berlin (starting failed: disk full); retiring it, too late in this window"
                + " for a fresh one; it starts at Sun 01:50 Europe/Berlin"));
    }

    @Property(tries = 1000)
    void aFailingReplacementIsNeverSwitchedToAndIsRetiredOnlyAfterTheGraceOrItsWindow(
            @ForAll("failingReplacements") RestartInput input, @ForAll("instants") Instant now) {
        RestartDecision decision = RestartPlanner.decide(input, now);

        assertThat(decision).isNotInstanceOf(RestartDecision.Switch.class);
        if (decision instanceof RestartDecision.RetireReplacement) {
            boolean graceOver = !now.isBefore(input.replacement().failingSince().plus(RestartPlanner.failingGrace(input.replacement().givenUpBefore())));
            boolean windowMissed = RestartWindows.nextOpening(input.window(), input.replacement().startedAt()).isBefore(now)
                    && !RestartWindows.isOpen(input.window(), now);
            assertThat(graceOver || windowMissed).as(decision.explanation()).isTrue();
        } else {
            assertThat(decision).isInstanceOf(RestartDecision.Wait.class);
            assertThat(((RestartDecision.Wait) decision).until())
                    .isBeforeOrEqualTo(input.replacement().failingSince()
                            .plus(RestartPlanner.failingGrace(input.replacement().givenUpBefore())))
                    .isAfter(now);
        }
    }

    @Property(tries = 300)
    void aRestartWhoseReplacementsFailSometimesStillSwitchesInsideAWindowToOneThatWarmed(
            @ForAll("windows") RestartWindow window, @ForAll("instants") Instant start,
            @ForAll @IntRange(min = 1, max = 120) int leadMinutes, @ForAll @IntRange(min = 0, max = 3) int failures,
            @ForAll @IntRange(min = 0, max = 30) int failsAfterMinutes) {
        Duration lead = Duration.ofMinutes(leadMinutes);
        RestartInput.Replacement replacement = RestartInput.Replacement.NONE;
        int destinedToFail = 0;
        int failing = 0;
        int failed = 0;
        boolean thisOneFails = false;
        Instant now = start;
        for (int step = 0; step < 5000; step++) {
            if (replacement.state() == RestartInput.ReplacementState.STARTING) {
                Instant failsAt = replacement.startedAt().plus(Duration.ofMinutes(failsAfterMinutes));
                if (thisOneFails && !now.isBefore(failsAt)) {
                    replacement = RestartInput.Replacement.failing(replacement.startedAt(), failsAt, "starting failed", failed);
                    failing++;
                } else if (!thisOneFails && !now.isBefore(replacement.startedAt().plus(lead))) {
                    replacement = RestartInput.Replacement.warm(replacement.startedAt());
                }
            }
            int inFlight = replacement.state() == RestartInput.ReplacementState.NONE ? 0 : 1;
            RestartDecision decision = RestartPlanner.decide(new RestartInput(UPGRADE, window, replacement, lead, inFlight, 1), now);
            if (decision instanceof RestartDecision.Switch) {
                assertThat(RestartWindows.isOpen(window, now)).isTrue();
                assertThat(replacement.state()).isEqualTo(RestartInput.ReplacementState.WARM);
                assertThat(failed).as("every replacement that failed was retired first").isEqualTo(failing);
                return;
            }
            if (decision instanceof RestartDecision.StartReplacement) {
                replacement = RestartInput.Replacement.starting(now);
                thisOneFails = destinedToFail++ < failures;
            } else if (decision instanceof RestartDecision.RetireReplacement) {
                if (replacement.state() == RestartInput.ReplacementState.FAILING) {
                    failed++;
                }
                replacement = RestartInput.Replacement.NONE;
            } else if (decision instanceof RestartDecision.Wait wait) {
                // A status change (here: the replacement warming or failing) wakes the reconciler before its timer.
                Instant wakes = wait.until();
                if (replacement.state() == RestartInput.ReplacementState.STARTING) {
                    Instant change = replacement.startedAt().plus(thisOneFails ? Duration.ofMinutes(failsAfterMinutes) : lead);
                    wakes = change.isAfter(now) && change.isBefore(wakes) ? change : wakes;
                }
                now = wakes;
            } else {
                throw new AssertionError("unexpected " + decision);
            }
        }
        throw new AssertionError("no switch within 5000 decisions from " + start + " for " + window);
    }

    @Property(tries = 1000)
    void neverSwitchesWhileTheWindowIsClosed(@ForAll("inputs") RestartInput input, @ForAll("instants") Instant now) {
        RestartDecision decision = RestartPlanner.decide(input, now);

        if (decision instanceof RestartDecision.Switch) {
            assertThat(RestartWindows.isOpen(input.window(), now)).isTrue();
            assertThat(input.replacement().state()).isEqualTo(RestartInput.ReplacementState.WARM);
        }
    }

    @Property(tries = 1000)
    void startsAReplacementNoEarlierThanTheLeadAndWithinTheCellLimit(@ForAll("inputs") RestartInput input,
                                                                    @ForAll("instants") Instant now) {
        RestartDecision decision = RestartPlanner.decide(input, now);

        if (decision instanceof RestartDecision.StartReplacement) {
            assertThat(now).isAfterOrEqualTo(RestartWindows.nextOpening(input.window(), now).minus(input.prewarmLead()));
            assertThat(input.restartsInFlightInCell()).isLessThan(input.maxRestartsInCell());
            assertThat(input.replacement().state()).isEqualTo(RestartInput.ReplacementState.NONE);
        }
        if (decision instanceof RestartDecision.Wait wait) {
            assertThat(wait.until()).isAfter(now);
        }
        assertThat(decision.explanation()).isNotBlank();
    }

    @Property(tries = 200)
    void aReplacementThatWarmsInItsLeadIsSwitchedToInsideTheFirstWindowLongEnough(
            @ForAll("windows") RestartWindow window, @ForAll("instants") Instant start,
            @ForAll @IntRange(min = 1, max = 180) int leadMinutes) {
        Duration lead = Duration.ofMinutes(leadMinutes);
        RestartInput.Replacement replacement = RestartInput.Replacement.NONE;
        Instant now = start;
        for (int step = 0; step < 2000; step++) {
            if (replacement.state() == RestartInput.ReplacementState.STARTING && !now.isBefore(replacement.startedAt().plus(lead))) {
                replacement = RestartInput.Replacement.warm(replacement.startedAt());
            }
            int inFlight = replacement.state() == RestartInput.ReplacementState.NONE ? 0 : 1;
            RestartDecision decision = RestartPlanner.decide(new RestartInput(UPGRADE, window, replacement, lead, inFlight, 1), now);
            if (decision instanceof RestartDecision.Switch) {
                assertThat(RestartWindows.isOpen(window, now)).isTrue();
                assertThat(now).isBefore(start.plus(Duration.ofDays(22)));
                return;
            }
            assertThat(decision).isNotInstanceOf(RestartDecision.Nothing.class);
            if (decision instanceof RestartDecision.StartReplacement) {
                replacement = RestartInput.Replacement.starting(now);
            } else if (decision instanceof RestartDecision.RetireReplacement) {
                replacement = RestartInput.Replacement.NONE;
            } else if (decision instanceof RestartDecision.Wait wait) {
                now = wait.until();
            }
        }
        throw new AssertionError("no switch within 2000 decisions from " + start + " for " + window);
    }

    @Provide
    Arbitrary<RestartInput> inputs() {
        Arbitrary<RestartNeed> needs = Arbitraries.of(UPGRADE, RestartNeed.NONE);
        Arbitrary<RestartInput.Replacement> replacements = Arbitraries.oneOf(Arbitraries.just(RestartInput.Replacement.NONE),
                instants().map(RestartInput.Replacement::starting), instants().map(RestartInput.Replacement::warm), failing());
        Arbitrary<RestartWindow> windows = Arbitraries.oneOf(RestartWindowsTest.windows(), Arbitraries.just(null));
        return Combinators.combine(needs, windows, replacements,
                Arbitraries.integers().between(0, 240).map(Duration::ofMinutes),
                Arbitraries.integers().between(0, 4), Arbitraries.integers().between(0, 4)).as(RestartInput::new);
    }

    @Provide
    Arbitrary<RestartInput> failingReplacements() {
        return Combinators.combine(Arbitraries.oneOf(RestartWindowsTest.windows(), Arbitraries.just(null)),
                failing(), Arbitraries.integers().between(0, 240).map(Duration::ofMinutes))
                .as((window, replacement, lead) -> new RestartInput(UPGRADE, window, replacement, lead, 1, 2));
    }

    private Arbitrary<RestartInput.Replacement> failing() {
        return Combinators.combine(instants(), Arbitraries.integers().between(0, 600), Arbitraries.integers().between(0, 8))
                .as((started, minutes, givenUp) -> RestartInput.Replacement.failing(started,
                        started.plus(Duration.ofMinutes(minutes)), "starting failed", givenUp));
    }

    @Provide
    Arbitrary<RestartWindow> windows() {
        return RestartWindowsTest.windows();
    }

    @Provide
    Arbitrary<Instant> instants() {
        return RestartWindowsTest.instants();
    }

    private static RestartDecision decide(RestartInput.Replacement replacement, int inFlight, Instant now) {
        return RestartPlanner.decide(new RestartInput(UPGRADE, SUNDAY_BERLIN, replacement, LEAD, inFlight, 2), now);
    }
}
