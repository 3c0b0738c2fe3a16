package io.tidepool.manifests.sync;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Decides each round of a git sync, with no I/O and no clock of its own: a new head is applied; a
 * head that failed through its own fault waits for its retry time while the commit before it stays
 * in force; drift from the commit in force is put back only when self-heal is on. The waits between
 * retries of one failed commit double from {@code retryFirst} up to {@code retryMax}.
 */
public final class SyncPolicy {
    public static final SyncPolicy DEFAULT = new SyncPolicy(Duration.ofMinutes(1), Duration.ofMinutes(30));

    private final Duration retryFirst;
    private final Duration retryMax;

    public SyncPolicy(Duration retryFirst, Duration retryMax) {
        if (retryFirst.isNegative() || retryFirst.isZero() || retryMax.compareTo(retryFirst) < 0) {
            throw new IllegalArgumentException("retry waits must be positive, the first no longer than the most: "
                    + retryFirst + ", " + retryMax);
        }
        this.retryFirst = retryFirst;
        this.retryMax = retryMax;
    }

    public SyncDecision decide(SyncInput input) {
        Optional<String> applied = input.memory().appliedCommit();
        boolean heal = input.selfHeal() && input.driftedObjects() > 0 && applied.isPresent();
        if (input.head().isPresent() && !input.head().equals(applied)) {
            String head = input.head().get();
            Optional<FailedCommit> failed = input.memory().failed().filter(f -> f.commit().equals(head));
            if (failed.isEmpty() || !input.now().isBefore(failed.get().retryAt())) {
                return new SyncDecision.Apply(head);
            }
            if (!heal) {
                return new SyncDecision.KeepPrevious(head, failed.get().retryAt());
            }
        }
        return heal ? new SyncDecision.Heal(applied.get(), input.driftedObjects()) : new SyncDecision.Wait();
    }

    /** The memory after carrying out {@code decision} with {@code outcome} at {@code now}. */
    public SyncMemory remember(SyncMemory memory, SyncDecision decision, AttemptOutcome outcome, Instant now) {
        if (!(decision instanceof SyncDecision.Apply apply)) {
            // Healing re-applies the commit in force: whatever happens, it stays the one in force.
            return memory;
        }
        if (outcome.inForce()) {
            return SyncMemory.applied(apply.commit());
        }
        if (outcome.faultOfTheCommit()) {
            int attempts = memory.failed().filter(f -> f.commit().equals(apply.commit()))
                    .map(f -> f.attempts() + 1).orElse(1);
            return new SyncMemory(memory.appliedCommit(),
                    Optional.of(new FailedCommit(apply.commit(), now, attempts, now.plus(retryWait(attempts)))));
        }
        return memory;
    }

    /** How long after its {@code attempts}-th failure in a row a commit is tried again. */
    public Duration retryWait(int attempts) {
        Duration wait = retryFirst;
        for (int i = 1; i < attempts && wait.compareTo(retryMax) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(retryMax) > 0 ? retryMax : wait;
    }
}
