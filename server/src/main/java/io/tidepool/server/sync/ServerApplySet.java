package io.tidepool.server.sync;

import io.tidepool.api.resource.ApplySet;
import io.tidepool.manifests.apply.ApplyOptions;
import io.tidepool.manifests.apply.DriftReport;
import io.tidepool.manifests.source.ManifestFile;
import io.tidepool.manifests.sync.ApplyAttempt;
import io.tidepool.manifests.sync.ApplySetTarget;
import io.tidepool.manifests.sync.AttemptOutcome;
import io.tidepool.manifests.sync.SetOutcomes;
import io.tidepool.manifests.sync.TargetException;
import io.tidepool.server.apply.ApplyConflictException;
import io.tidepool.server.apply.DriftRecorder;
import io.tidepool.server.apply.ManifestApplier;
import io.tidepool.store.StoreException;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/** An apply set written by the server's own applier: what the sync inside the server applies into. */
final class ServerApplySet implements ApplySetTarget {
    private final ManifestApplier applier;
    private final DriftRecorder drift;
    private final String set;

    ServerApplySet(ManifestApplier applier, DriftRecorder drift, String set) {
        this.applier = applier;
        this.drift = drift;
        this.set = set;
    }

    @Override
    public String setName() {
        return set;
    }

    @Override
    public Optional<String> appliedCommit() {
        return store(() -> applier.applySets().get(set).map(ApplySet::status).map(ApplySet.Status::applied)
                .map(ApplySet.Applied::commit));
    }

    @Override
    public List<String> drift() {
        return store(() -> drift.record(set).map(r -> r.drifted().stream().map(DriftReport.Drifted::ref).toList())
                .orElse(List.of()));
    }

    @Override
    public ApplyAttempt apply(List<ManifestFile> files, ApplySet.Source source) {
        ApplyOptions options = new ApplyOptions(false, set, true, false, null, source);
        return store(() -> {
            try {
                return ApplyAttempt.of(applier.apply(files, options));
            } catch (ApplyConflictException e) {
                AttemptOutcome outcome = SetOutcomes.refusedOrConflict(applier.applySets().get(set), e.getMessage());
                return ApplyAttempt.failed(outcome, e.getMessage(), List.of());
            }
        });
    }

    @Override
    public void recordFailure(ApplySet.Source source, AttemptOutcome outcome, String message, List<String> errors) {
        store(() -> {
            applier.applySets().recordFailure(set, source, SetOutcomes.outcome(outcome), message, errors);
            return null;
        });
    }

    private static <T> T store(Supplier<T> call) {
        try {
            return call.get();
        } catch (StoreException e) {
            throw TargetException.unavailable("the store is unavailable: " + e.getMessage(), e);
        } catch (ApplyConflictException | IllegalArgumentException e) {
            throw new TargetException(AttemptOutcome.REFUSED, e.getMessage(), e);
        }
    }
}
