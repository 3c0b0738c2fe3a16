package io.tidepool.manifests.sync;

import io.tidepool.api.resource.ApplySet;
import static org.assertj.core.api.Assertions.assertThat;

import io.tidepool.manifests.git.GitException;
import io.tidepool.manifests.git.TreeProblem;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SyncRoundTest {
    private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
    private static final String SHOP = "kind: Endpoint\nname: shop\nmaxCu: 2\n";
    private static final String BLOG = "kind: Endpoint\nname: blog\n";

    private final StepClock clock = new StepClock(T0);
    private final InMemoryCommitSource repo = new InMemoryCommitSource();
    private final InMemoryApplySet set = new InMemoryApplySet();
    private final SyncPolicy policy = new SyncPolicy(Duration.ofMinutes(1), Duration.ofMinutes(30));

    private SyncRound round(boolean selfHeal) {
        return new SyncRound(repo, set, policy, selfHeal, clock);
    }

    @Test
    void appliesEachNewCommitWithPruneAndSaysWhatItDid() {
        SyncRound round = round(false);
        String first = repo.push(Map.of("deploy/shop.yaml", SHOP, "deploy/blog.yaml", BLOG));

        RoundReport added = round.run();

        assertThat(added.line()).isEqualTo("main@000000000000 applied: 2 created; drift 0");
        assertThat(set.applies).containsExactly(new ApplySet.Source("/srv/git/fleet", "main", "deploy", first));
        assertThat(round.inForce()).contains(first);

        repo.push(Map.of("deploy/shop.yaml", SHOP.replace("maxCu: 2", "maxCu: 1"), "deploy/blog.yaml", BLOG));
        assertThat(round.run().counts()).isEqualTo(Map.of("configured", 1, "unchanged", 1));

        repo.push(Map.of("deploy/shop.yaml", SHOP.replace("maxCu: 2", "maxCu: 1")));
        RoundReport removed = round.run();
        assertThat(removed.counts()).isEqualTo(Map.of("unchanged", 1, "pruned", 1));
        assertThat(set.live()).containsOnlyKeys("Endpoint/shop");
    }

    @Test
    void aCommitAlreadyInForceIsNotAppliedAgain() {
        repo.push(Map.of("deploy/shop.yaml", SHOP));
        SyncRound round = round(false);
        round.run();

        RoundReport again = round.run();

        assertThat(again.decision()).isEqualTo(new SyncDecision.Wait());
        assertThat(again.line()).endsWith(" in sync; drift 0");
        assertThat(set.applies).hasSize(1);
    }

    @Test
    void startsFromTheCommitTheSetRecordsSoARestartAppliesNothingAgain() {
        repo.push(Map.of("deploy/shop.yaml", SHOP));
        round(false).run();

        RoundReport afterRestart = round(false).run();

        assertThat(afterRestart.decision()).isEqualTo(new SyncDecision.Wait());
        assertThat(set.applies).hasSize(1);
    }

    @Test
    void anInvalidCommitIsNotAppliedThePreviousStaysAndTheFixGoesIn() {
        SyncRound round = round(false);
        String good = repo.push(Map.of("deploy/shop.yaml", SHOP));
        round.run();
        String broken = repo.push(Map.of("deploy/shop.yaml", SHOP + "invalid: true\n"));

        RoundReport invalid = round.run();

        assertThat(invalid.outcome()).contains(AttemptOutcome.INVALID);
        assertThat(invalid.errors()).containsExactly("deploy/shop.yaml:1:1: Endpoint/shop: spec: invalid");
        assertThat(invalid.line()).isEqualTo("main@" + broken.substring(0, 12)
                + " invalid: 1 error, nothing applied; in force: " + good.substring(0, 12) + "; drift 0");
        assertThat(round.inForce()).contains(good);
        assertThat(set.live()).containsEntry("Endpoint/shop", SHOP);

        clock.advance(Duration.ofSeconds(30));
        RoundReport waiting = round.run();
        assertThat(waiting.decision()).isEqualTo(new SyncDecision.KeepPrevious(broken, T0.plusSeconds(60)));
        assertThat(set.applies).hasSize(2);

        String fixed = repo.push(Map.of("deploy/shop.yaml", SHOP.replace("maxCu: 2", "maxCu: 3")));
        assertThat(round.run().outcome()).contains(AttemptOutcome.APPLIED);
        assertThat(round.inForce()).contains(fixed);
    }

    @Test
    void aCommitWithoutItsPathIsRecordedInvalidAndNeverReachesTheApply() {
        SyncRound round = round(false);
        String good = repo.push(Map.of("deploy/shop.yaml", SHOP));
        round.run();
        String moved = repo.pushUnreadable(new TreeProblem("deploy", "no such file or directory in commit 000000000002"));

        RoundReport report = round.run();

        assertThat(report.outcome()).contains(AttemptOutcome.INVALID);
        assertThat(report.errors()).containsExactly("deploy: no such file or directory in commit 000000000002");
        assertThat(set.applies).hasSize(1);
        assertThat(set.attempts).last().satisfies(attempt -> {
            assertThat(attempt.outcome()).isEqualTo(AttemptOutcome.INVALID);
            assertThat(attempt.source().commit()).isEqualTo(moved);
        });
        assertThat(set.live()).containsOnlyKeys("Endpoint/shop");
        assertThat(round.inForce()).contains(good);
    }

    @Test
    void anUnreachableRepositoryIsRecordedOnceWhileItStaysDownAndThePreviousStaysInForce() {
        SyncRound round = round(false);
        String good = repo.push(Map.of("deploy/shop.yaml", SHOP));
        round.run();
        repo.goDown(new GitException(GitException.Reason.UNREACHABLE, "cannot reach /srv/git/fleet: no route to host"));

        RoundReport down = round.run();
        round.run();

        assertThat(down.outcome()).contains(AttemptOutcome.FETCH_FAILED);
        assertThat(down.fetchFailure()).contains(GitException.Reason.UNREACHABLE);
        assertThat(down.line()).isEqualTo("(no head) fetch failed: cannot reach /srv/git/fleet: no route to host; in force: "
                + good.substring(0, 12) + "; drift 0");
        assertThat(set.attempts).filteredOn(a -> a.outcome() == AttemptOutcome.FETCH_FAILED).hasSize(1);

        repo.comeBack();
        round.run();
        repo.goDown(new GitException(GitException.Reason.UNREACHABLE, "cannot reach /srv/git/fleet: no route to host"));
        round.run();
        assertThat(set.attempts).filteredOn(a -> a.outcome() == AttemptOutcome.FETCH_FAILED).hasSize(2);
    }

    @Test
    void driftIsShownAndLeftAloneWithoutSelfHeal() {
        SyncRound round = round(false);
        repo.push(Map.of("deploy/shop.yaml", SHOP));
        round.run();
        set.edit("Endpoint/shop", SHOP.replace("maxCu: 2", "maxCu: 8"));

        RoundReport report = round.run();

        assertThat(report.drifted()).containsExactly("Endpoint/shop");
        assertThat(report.line()).endsWith("drifted from the commit; --self-heal puts it back; drift 1 (Endpoint/shop)");
        assertThat(set.live()).containsEntry("Endpoint/shop", SHOP.replace("maxCu: 2", "maxCu: 8"));
    }

    @Test
    void selfHealPutsBackWhatDrifted() {
        SyncRound round = round(true);
        String good = repo.push(Map.of("deploy/shop.yaml", SHOP));
        round.run();
        set.edit("Endpoint/shop", SHOP.replace("maxCu: 2", "maxCu: 8"));

        RoundReport healed = round.run();

        assertThat(healed.decision()).isEqualTo(new SyncDecision.Heal(good, 1));
        assertThat(healed.line()).endsWith(" self-heal applied: 1 configured; drift 0");
        assertThat(set.live()).containsEntry("Endpoint/shop", SHOP);
    }

    @Test
    void anUnavailableServerIsAnOutcomeOfTheRoundNotAnError() {
        SyncRound round = round(false);
        repo.push(Map.of("deploy/shop.yaml", SHOP));
        set.down = true;

        RoundReport report = round.run();

        assertThat(report.outcome()).contains(AttemptOutcome.UNAVAILABLE);
        assertThat(report.line()).contains("server unavailable, tried again next round: cannot reach the Tidepool server");

        set.down = false;
        assertThat(round.run().outcome()).contains(AttemptOutcome.APPLIED);
    }
}
