package io.tidepool.manifests.sync;

import io.tidepool.api.resource.ApplySet;
import io.tidepool.manifests.git.BranchHead;
import io.tidepool.manifests.git.CommitManifests;
import io.tidepool.manifests.git.GitException;
import io.tidepool.manifests.git.ManifestTree;
import io.tidepool.manifests.git.TreeProblem;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One round of a git sync, the shell around {@link SyncPolicy}: fetch the head, read the set's
 * drift, decide, carry the decision out (read the commit, apply it with prune, or record why it
 * cannot be), remember, report. It never throws: every failure is an outcome of the round.
 */
public final class SyncRound {
    private final CommitSource source;
    private final ApplySetTarget target;
    private final SyncPolicy policy;
    private final boolean selfHeal;
    private final InstantSource clock;
    private SyncMemory memory;
    // A repository down for an hour is one record in the set's status, not one per round.
    private String recordedFetchFailure;

    public SyncRound(CommitSource source, ApplySetTarget target, SyncPolicy policy, boolean selfHeal, InstantSource clock) {
        this.source = source;
        this.target = target;
        this.policy = policy;
        this.selfHeal = selfHeal;
        this.clock = clock;
    }

    public synchronized RoundReport run() {
        Instant now = clock.instant();
        Optional<BranchHead> head = Optional.empty();
        SyncDecision decision = new SyncDecision.Wait();
        List<String> drift = List.of();
        try {
            if (memory == null) {
                memory = target.appliedCommit().map(SyncMemory::applied).orElse(SyncMemory.EMPTY);
            }
            Optional<GitException> fetchFailure = Optional.empty();
            try {
                head = Optional.of(source.fetch());
                recordedFetchFailure = null;
            } catch (GitException e) {
                fetchFailure = Optional.of(e);
                recordFetchFailure(e);
            }
            drift = target.drift();
            decision = policy.decide(new SyncInput(memory, head.map(BranchHead::commit), drift.size(), selfHeal, now));
            ApplyAttempt attempt = carryOut(decision, head.map(BranchHead::branch).orElse(null));
            if (attempt == null) {
                return report(now, head, decision, fetchFailure.map(SyncRound::failedFetch), fetchFailure, drift);
            }
            memory = policy.remember(memory, decision, attempt.outcome(), now);
            List<String> driftAfter = attempt.outcome().inForce() ? target.drift() : drift;
            return report(now, head, decision, Optional.of(attempt), Optional.empty(), driftAfter);
        } catch (GitException e) {
            // Reading a commit already fetched failed in the cache: like a failed fetch, tried again next round.
            return report(now, head, decision, Optional.of(failedFetch(e)), Optional.of(e), drift);
        } catch (TargetException e) {
            ApplyAttempt unasked = ApplyAttempt.failed(e.outcome(), e.getMessage(), List.of());
            return report(now, head, decision, Optional.of(unasked), Optional.empty(), drift);
        }
    }

    /** The commit in force as this round's sync knows it; empty before the first round or the first apply. */
    public synchronized Optional<String> inForce() {
        return memory == null ? Optional.empty() : memory.appliedCommit();
    }

    private ApplyAttempt carryOut(SyncDecision decision, String branch) {
        String commit;
        if (decision instanceof SyncDecision.Apply apply) {
            commit = apply.commit();
        } else if (decision instanceof SyncDecision.Heal heal) {
            commit = heal.commit();
        } else {
            return null;
        }
        ApplySet.Source ref = source.ref(branch, commit);
        CommitManifests manifests = source.read(commit);
        if (!manifests.readable()) {
            List<String> errors = manifests.problems().stream().map(TreeProblem::format).toList();
            String message = "commit " + ManifestTree.shortId(commit) + " is not a manifest set under "
                    + manifests.path() + "; nothing was applied";
            target.recordFailure(ref, AttemptOutcome.INVALID, message, errors);
            return ApplyAttempt.failed(AttemptOutcome.INVALID, message, errors);
        }
        return target.apply(manifests.files(), ref);
    }

    private void recordFetchFailure(GitException e) {
        if (e.getMessage().equals(recordedFetchFailure)) {
            return;
        }
        target.recordFailure(source.ref(null, null), AttemptOutcome.FETCH_FAILED, e.getMessage(), List.of());
        recordedFetchFailure = e.getMessage();
    }

    private static ApplyAttempt failedFetch(GitException e) {
        return ApplyAttempt.failed(AttemptOutcome.FETCH_FAILED, e.getMessage(), List.of());
    }

    private RoundReport report(Instant now, Optional<BranchHead> head, SyncDecision decision, Optional<ApplyAttempt> attempt,
                               Optional<GitException> fetchFailure, List<String> drift) {
        return new RoundReport(now, head, decision, attempt.map(ApplyAttempt::outcome),
                fetchFailure.map(GitException::reason), attempt.map(ApplyAttempt::counts).orElse(Map.of()),
                memory == null ? Optional.empty() : memory.appliedCommit(), drift,
                attempt.map(ApplyAttempt::message).orElse(""), attempt.map(ApplyAttempt::errors).orElse(List.of()));
    }
}
