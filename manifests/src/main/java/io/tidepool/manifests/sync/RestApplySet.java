package io.tidepool.manifests.sync;

import io.tidepool.api.resource.ApplySet;
import io.tidepool.api.resource.Kind;
import io.tidepool.api.resource.Resource;
import io.tidepool.manifests.apply.ApplyRequest;
import io.tidepool.manifests.apply.ApplyResponse;
import io.tidepool.manifests.apply.DriftReport;
import io.tidepool.manifests.apply.FailedAttempt;
import io.tidepool.manifests.client.ApiClient;
import io.tidepool.manifests.client.ApiException;
import io.tidepool.manifests.source.ManifestFile;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/** An apply set on a Tidepool server, through its REST API: what {@code tidepool sync} writes. */
public final class RestApplySet implements ApplySetTarget {
    private final ApiClient api;
    private final String set;

    public RestApplySet(ApiClient api, String set) {
        this.api = api;
        this.set = set;
    }

    @Override
    public String setName() {
        return set;
    }

    @Override
    public Optional<String> appliedCommit() {
        return ask(() -> api.get(Kind.APPLY_SET, set)).map(RestApplySet::appliedCommit);
    }

    private static String appliedCommit(Resource resource) {
        ApplySet.Status status = ((ApplySet) resource).status();
        return status == null || status.applied() == null ? null : status.applied().commit();
    }

    @Override
    public List<String> drift() {
        return ask(() -> api.drift(set)).map(report -> report.drifted().stream().map(DriftReport.Drifted::ref).toList())
                .orElse(List.of());
    }

    @Override
    public ApplyAttempt apply(List<ManifestFile> files, ApplySet.Source source) {
        ApplyRequest request = new ApplyRequest(files, false, set, true, false, null, source);
        ApplyResponse response;
        try {
            response = api.apply(request);
        } catch (ApiException e) {
            if (e.status() == 409) {
                return ApplyAttempt.failed(refusedOrConflict(e.getMessage()), e.getMessage(), List.of());
            }
            throw asTargetException(e);
        }
        return ApplyAttempt.of(response);
    }

    private AttemptOutcome refusedOrConflict(String message) {
        return SetOutcomes.refusedOrConflict(ask(() -> api.get(Kind.APPLY_SET, set)).map(ApplySet.class::cast), message);
    }

    @Override
    public void recordFailure(ApplySet.Source source, AttemptOutcome outcome, String message, List<String> errors) {
        ask(() -> {
            api.recordAttempt(set, new FailedAttempt(source, SetOutcomes.outcome(outcome), message, errors));
            return null;
        });
    }

    private static <T> T ask(Supplier<T> call) {
        try {
            return call.get();
        } catch (ApiException e) {
            throw asTargetException(e);
        }
    }

    private static TargetException asTargetException(ApiException e) {
        if (e.unreachable() || e.status() == 503) {
            return TargetException.unavailable(e.getMessage(), e);
        }
        return new TargetException(AttemptOutcome.REFUSED, "the server answered " + e.status() + ": " + e.getMessage(), e);
    }
}
