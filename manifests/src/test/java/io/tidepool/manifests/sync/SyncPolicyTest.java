package io.tidepool.manifests.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidepool.manifests.sync.SyncDecision.Apply;
import io.tidepool.manifests.sync.SyncDecision.Heal;
import io.tidepool.manifests.sync.SyncDecision.KeepPrevious;
import io.tidepool.manifests.sync.SyncDecision.Wait;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class SyncPolicyTest {
    private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
    private static final String A = "a".repeat(40);
    private static final String B = "b".repeat(40);
    private static final String C = "c".repeat(40);

    private final SyncPolicy policy = new SyncPolicy(Duration.ofMinutes(1), Duration.ofMinutes(30));

    private SyncDecision decide(SyncMemory memory, String head, int drift, boolean selfHeal, Instant now) {
        return policy.decide(new SyncInput(memory, Optional.ofNullable(head), drift, selfHeal, now));
    }

    @Test
    void appliesTheFirstHeadItSees() {
        assertThat(decide(SyncMemory.EMPTY, A, 0, false, T0)).isEqualTo(new Apply(A));
    }

    @Test
    void waitsWhenTheHeadIsInForceAndNothingDrifted() {
        assertThat(decide(SyncMemory.applied(A), A, 0, true, T0)).isEqualTo(new Wait());
    }

    @Test
    void appliesANewHead() {
        assertThat(decide(SyncMemory.applied(A), B, 0, false, T0)).isEqualTo(new Apply(B));
    }

    @Test
    void anInvalidHeadIsNotTriedAgainUntilItsRetryTimeAndThePreviousStaysInForce() {
        SyncMemory failed = policy.remember(SyncMemory.applied(A), new Apply(B), AttemptOutcome.INVALID, T0);

        assertThat(failed.appliedCommit()).contains(A);
        assertThat(decide(failed, B, 0, false, T0.plusSeconds(59)))
                .isEqualTo(new KeepPrevious(B, T0.plusSeconds(60)));
        assertThat(decide(failed, B, 0, false, T0.plusSeconds(60))).isEqualTo(new Apply(B));
    }

    @Test
    void aFixingCommitIsAppliedAtOnceWhateverTheRetryTimeOfTheBrokenOne() {
        SyncMemory failed = policy.remember(SyncMemory.applied(A), new Apply(B), AttemptOutcome.INVALID, T0);

        assertThat(decide(failed, C, 0, false, T0.plusSeconds(1))).isEqualTo(new Apply(C));
        assertThat(policy.remember(failed, new Apply(C), AttemptOutcome.APPLIED, T0.plusSeconds(1)))
                .isEqualTo(SyncMemory.applied(C));
    }

    @Test
    void retriesOfOneFailedCommitWaitTwiceAsLongEachTimeUpToTheMost() {
        SyncMemory memory = SyncMemory.applied(A);
        Instant now = T0;
        List<Duration> waits = new ArrayList<>();
        for (int attempt = 1; attempt <= 7; attempt++) {
            memory = policy.remember(memory, new Apply(B), AttemptOutcome.INVALID, now);
            waits.add(Duration.between(now, memory.failed().orElseThrow().retryAt()));
            now = memory.failed().orElseThrow().retryAt();
        }

        assertThat(waits).extracting(Duration::toMinutes).containsExactly(1L, 2L, 4L, 8L, 16L, 30L, 30L);
        assertThat(memory.failed().orElseThrow().attempts()).isEqualTo(7);
    }

    @Test
    void aConflictOrAnUnavailableServerIsTriedAgainNextRound() {
        for (AttemptOutcome transient_ : List.of(AttemptOutcome.CONFLICT, AttemptOutcome.UNAVAILABLE)) {
            SyncMemory memory = policy.remember(SyncMemory.applied(A), new Apply(B), transient_, T0);

            assertThat(memory).isEqualTo(SyncMemory.applied(A));
            assertThat(decide(memory, B, 0, false, T0.plusSeconds(1))).isEqualTo(new Apply(B));
        }
    }

    @Test
    void driftIsShownButLeftAloneWithoutSelfHeal() {
        assertThat(decide(SyncMemory.applied(A), A, 2, false, T0)).isEqualTo(new Wait());
    }

    @Test
    void selfHealAppliesTheCommitInForceAgain() {
        assertThat(decide(SyncMemory.applied(A), A, 2, true, T0)).isEqualTo(new Heal(A, 2));
    }

    @Test
    void selfHealKeepsThePreviousCommitWhileTheHeadIsInvalid() {
        SyncMemory failed = policy.remember(SyncMemory.applied(A), new Apply(B), AttemptOutcome.INVALID, T0);

        assertThat(decide(failed, B, 1, true, T0.plusSeconds(1))).isEqualTo(new Heal(A, 1));
    }

    @Test
    void selfHealWorksWhileTheRepositoryCannotBeReached() {
        assertThat(decide(SyncMemory.applied(A), null, 1, true, T0)).isEqualTo(new Heal(A, 1));
        assertThat(decide(SyncMemory.applied(A), null, 1, false, T0)).isEqualTo(new Wait());
    }

    @Test
    void nothingIsHealedBeforeAnyCommitWasApplied() {
        assertThat(decide(SyncMemory.EMPTY, null, 3, true, T0)).isEqualTo(new Wait());
    }

    @Test
    void healingLeavesTheCommitInForceWhateverItsOutcome() {
        for (AttemptOutcome outcome : AttemptOutcome.values()) {
            assertThat(policy.remember(SyncMemory.applied(A), new Heal(A, 1), outcome, T0)).isEqualTo(SyncMemory.applied(A));
        }
    }

    // Properties over any round.

    @Property(tries = 500)
    void aDecisionNamesOnlyTheHeadOrTheCommitInForce(@ForAll("inputs") SyncInput input) {
        SyncDecision decision = policy.decide(input);

        if (decision instanceof Apply apply) {
            assertThat(input.head()).contains(apply.commit());
        } else if (decision instanceof Heal heal) {
            assertThat(input.memory().appliedCommit()).contains(heal.commit());
        } else if (decision instanceof KeepPrevious keep) {
            assertThat(input.head()).contains(keep.failedCommit());
        }
    }

    @Property(tries = 500)
    void withoutSelfHealNothingIsEverHealed(@ForAll("inputs") SyncInput input) {
        SyncInput noHeal = new SyncInput(input.memory(), input.head(), input.driftedObjects(), false, input.now());

        assertThat(policy.decide(noHeal)).isNotInstanceOf(Heal.class);
    }

    @Property(tries = 500)
    void aHeadNeitherInForceNorFailedIsAlwaysApplied(@ForAll("inputs") SyncInput input) {
        String head = input.head().orElse(null);
        boolean known = head == null || input.memory().appliedCommit().filter(head::equals).isPresent()
                || input.memory().failed().filter(f -> f.commit().equals(head)).isPresent();

        if (!known) {
            assertThat(policy.decide(input)).isEqualTo(new Apply(head));
        }
    }

    @Property(tries = 500)
    void aFailedHeadIsNeverAppliedBeforeItsRetryTime(@ForAll("inputs") SyncInput input) {
        SyncDecision decision = policy.decide(input);

        input.memory().failed().filter(f -> input.now().isBefore(f.retryAt())).ifPresent(failed ->
                assertThat(decision).isNotEqualTo(new Apply(failed.commit())));
    }

    @Property(tries = 500)
    void inSyncWithoutDriftMeansNothingToDo(@ForAll("inputs") SyncInput input) {
        if (input.head().isPresent() && input.head().equals(input.memory().appliedCommit()) && input.driftedObjects() == 0) {
            assertThat(policy.decide(input)).isEqualTo(new Wait());
        }
    }

    /**
     * Over any run of rounds (heads pushed, outcomes as the server answers): the commit in force
     * only ever becomes one whose apply was in force, an invalid commit never replaces the one
     * before it, and retries of a failed commit are spaced at least the first retry wait apart
     * until another commit goes in.
     */
    @Property(tries = 300)
    void onlyAnAppliedCommitIsEverInForce(@ForAll("rounds") List<Round> rounds) {
        SyncMemory memory = SyncMemory.EMPTY;
        Instant now = T0;
        Instant lastFailedTry = null;
        String lastFailedCommit = null;
        for (Round round : rounds) {
            now = now.plusSeconds(round.secondsLater());
            SyncDecision decision = policy.decide(new SyncInput(memory, Optional.ofNullable(round.head()),
                    round.drift(), round.selfHeal(), now));
            if (decision instanceof Apply apply && apply.commit().equals(lastFailedCommit)) {
                assertThat(Duration.between(lastFailedTry, now)).isGreaterThanOrEqualTo(Duration.ofMinutes(1));
            }
            SyncMemory before = memory;
            memory = policy.remember(memory, decision, round.outcome(), now);
            if (!memory.appliedCommit().equals(before.appliedCommit())) {
                assertThat(decision).isEqualTo(new Apply(memory.appliedCommit().orElseThrow()));
                assertThat(round.outcome().inForce()).isTrue();
            }
            if (decision instanceof Apply apply && round.outcome().faultOfTheCommit()) {
                lastFailedTry = now;
                lastFailedCommit = apply.commit();
            } else if (decision instanceof Apply && round.outcome().inForce()) {
                // Another commit went in: should the branch return to the failed one, that is news.
                lastFailedCommit = null;
            }
        }
    }

    @Property(tries = 200)
    void retryWaitsNeverShrinkAndStayWithinBounds(@ForAll @IntRange(min = 1, max = 200) int attempts) {
        Duration wait = policy.retryWait(attempts);

        assertThat(wait).isBetween(Duration.ofMinutes(1), Duration.ofMinutes(30));
        assertThat(policy.retryWait(attempts + 1)).isGreaterThanOrEqualTo(wait);
    }

    record Round(String head, int drift, boolean selfHeal, AttemptOutcome outcome, int secondsLater) {
    }

    private static Arbitrary<String> commits() {
        return Arbitraries.of(A, B, C);
    }

    @Provide
    Arbitrary<List<Round>> rounds() {
        Arbitrary<Round> round = Combinators.combine(commits().injectNull(0.1), Arbitraries.integers().between(0, 3),
                Arbitraries.of(true, false), Arbitraries.of(AttemptOutcome.class), Arbitraries.integers().between(1, 600))
                .as(Round::new);
        return round.list().ofMaxSize(40);
    }

    @Provide
    Arbitrary<SyncInput> inputs() {
        Arbitrary<FailedCommit> failed = Combinators.combine(commits(), Arbitraries.integers().between(0, 3600),
                Arbitraries.integers().between(1, 8), Arbitraries.integers().between(0, 1800))
                .as((commit, at, attempts, wait) -> new FailedCommit(commit, T0.plusSeconds(at), attempts,
                        T0.plusSeconds(at + wait)));
        Arbitrary<SyncMemory> memory = Combinators.combine(commits().optional(), failed.optional())
                .as(SyncMemory::new);
        return Combinators.combine(memory, commits().optional(), Arbitraries.integers().between(0, 5),
                Arbitraries.of(true, false), Arbitraries.integers().between(0, 7200))
                .as((m, head, drift, heal, seconds) -> new SyncInput(m, head, drift, heal, T0.plusSeconds(seconds)));
    }
}
