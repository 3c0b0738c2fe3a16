package io.tidepool.server.apply;

import io.tidepool.api.resource.ApplySet;
import io.tidepool.api.resource.ApplySet.Attempt;
import io.tidepool.api.resource.ApplySet.Outcome;
import io.tidepool.api.resource.ApplySet.Source;
import io.tidepool.api.resource.Kind;
import io.tidepool.api.resource.ObjectMeta;
import io.tidepool.registry.ResourceRegistry;
import io.tidepool.registry.ResourceTxn;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The ApplySet object of each set: what its last apply did and which apply is in force. A
 * successful apply writes it in the same transaction as the objects ({@link #afterApply}); an
 * attempt that may write nothing else (invalid manifests, a conflict, a refusal, a failed fetch)
 * records only itself here, so the previous apply stays in force and says so.
 */
public final class ApplySetRecords {
    private static final int MAX_ATTEMPTS = 5;
    private final ResourceRegistry registry;
    private final Clock clock;

    public ApplySetRecords(ResourceRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
    }

    public Optional<ApplySet> get(String set) {
        return registry.get(ApplySet.class, Kind.APPLY_SET, set);
    }

    /**
     * The set's record after an apply that succeeded, or {@code before} itself when nothing in it
     * would change (an unchanged re-apply writes nothing at all).
     *
     * @param before  the stored record, or null for a new set
     * @param wrote   whether the apply changed any object or member
     * @param objects the number of members afterwards
     */
    static ApplySet afterApply(ApplySet before, String set, Source source, boolean wrote, int objects, String message,
                               Instant now) {
        String commit = source == null ? null : source.commit();
        ApplySet.Status old = before == null ? null : before.status();
        Outcome outcome = wrote ? Outcome.Applied : Outcome.Unchanged;
        boolean sameCommit = old != null && old.applied() != null && Objects.equals(old.applied().commit(), commit);
        ApplySet.Applied applied = wrote || !sameCommit ? new ApplySet.Applied(now, commit) : old.applied();
        ApplySet.Spec spec = new ApplySet.Spec(source == null ? null : source.withCommit(null));
        if (before != null && !wrote && sameCommit && before.spec().equals(spec) && old.objects() == objects
                && old.lastAttempt() != null && old.lastAttempt().outcome() == outcome
                && Objects.equals(old.lastAttempt().commit(), commit)) {
            return before;
        }
        ObjectMeta meta = before != null ? before.metadata() : ObjectMeta.named(set).withCreationTimestamp(now);
        // Every member is now as the set declares it: no drift, until someone changes one.
        ApplySet.Drift drift = wrote || old == null ? ApplySet.Drift.none(now) : old.drift();
        return new ApplySet(meta, spec, new ApplySet.Status(objects, applied,
                new Attempt(now, commit, outcome, message, List.of()), drift));
    }

    /**
     * Records the set's drift as just checked, unless the record already says the same: a set that
     * stays in sync costs no write per check. False when the set changed meanwhile (check again).
     */
    public boolean recordDrift(ApplySet stored, ApplySet.Drift drift) {
        ApplySet.Status old = stored.status();
        if (old != null && drift.sameAs(old.drift())) {
            return true;
        }
        ApplySet.Status status = old == null ? new ApplySet.Status(0, null, null, drift) : old.withDrift(drift);
        return registry.store().txn(new ResourceTxn().update(stored, stored.withStatus(status)).toTxn()).succeeded();
    }

    /**
     * Records an attempt that applied nothing; the apply in force stays as it was. Creates the
     * record when the set has none, so that a set whose first commit is invalid shows why.
     */
    public void recordFailure(String set, Source source, Outcome outcome, String message, List<String> errors) {
        Attempt attempt = new Attempt(clock.instant(), source == null ? null : source.commit(), outcome, message, errors);
        for (int tries = 0; tries < MAX_ATTEMPTS; tries++) {
            Optional<ApplySet> stored = get(set);
            ResourceTxn txn = new ResourceTxn();
            if (stored.isPresent()) {
                ApplySet.Status old = stored.get().status();
                ApplySet.Status status = old == null ? new ApplySet.Status(0, null, attempt) : old.withLastAttempt(attempt);
                txn.update(stored.get(), stored.get().withStatus(status));
            } else {
                Source declared = source == null ? null : source.withCommit(null);
                txn.create(new ApplySet(ObjectMeta.named(set).withCreationTimestamp(attempt.at()),
                        new ApplySet.Spec(declared), new ApplySet.Status(0, null, attempt)));
            }
            if (registry.store().txn(txn.toTxn()).succeeded()) {
                return;
            }
        }
        throw new ApplyConflictException("apply set " + set + " kept changing while its failed attempt was recorded");
    }
}
