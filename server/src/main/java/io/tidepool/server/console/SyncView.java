package io.tidepool.server.console;

import io.tidepool.api.resource.ApplySet;
import io.tidepool.manifests.apply.DriftReport;
import io.tidepool.registry.ResourceRegistry;
import io.tidepool.server.apply.ApplySetDrift;
import java.util.ArrayList;
import java.util.List;

/**
 * The git sync page: each apply set, where its manifests come from (repository, branch, path), the
 * commit now applied and when, the latest attempt and what became of it (with its errors), and
 * the drift: objects of the set changed or deleted since it applied them.
 */
public record SyncView(List<SetCard> sets) {

    /** @param drift null when it could not be read, with the reason in {@code driftError} */
    public record SetCard(String name, ApplySet.Source source, int objects, ApplySet.Applied applied,
                          ApplySet.Attempt lastAttempt, DriftReport drift, String driftError) {
    }

    static SyncView of(ConsoleIndex index, ResourceRegistry registry) {
        List<SetCard> cards = new ArrayList<>();
        for (ApplySet set : index.applySets()) {
            ApplySet.Status status = set.status();
            DriftReport drift = null;
            String driftError = null;
            try {
                drift = ApplySetDrift.check(registry, set.name()).orElse(null);
            } catch (RuntimeException e) {
                driftError = e.getMessage();
            }
            cards.add(new SetCard(set.name(), set.spec() == null ? null : set.spec().source(),
                    status == null ? 0 : status.objects(), status == null ? null : status.applied(),
                    status == null ? null : status.lastAttempt(), drift, driftError));
        }
        return new SyncView(cards);
    }
}
