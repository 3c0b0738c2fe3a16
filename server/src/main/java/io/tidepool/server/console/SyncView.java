package io.tidepool.server.console;

import io.tidepool.api.resource.ApplySet;
import java.util.ArrayList;
import java.util.List;

/**
 * The git sync page: each apply set, where its manifests come from (repository, branch, path), the
 * commit now applied and when, the latest attempt and what became of it (with its errors), and
 * its drift (objects changed or deleted since the set applied them) as the leader last checked it
 * and keeps it in the set's status: the page reads no inventory.
 *
 * @param drift null before the leader's first check of the set
 */
public record SyncView(List<SetCard> sets) {

    public record SetCard(String name, ApplySet.Source source, int objects, ApplySet.Applied applied,
                          ApplySet.Attempt lastAttempt, ApplySet.Drift drift) {
    }

    static SyncView of(ConsoleIndex index) {
        List<SetCard> cards = new ArrayList<>();
        for (ApplySet set : index.applySets()) {
            ApplySet.Status status = set.status();
            cards.add(new SetCard(set.name(), set.spec() == null ? null : set.spec().source(),
                    status == null ? 0 : status.objects(), status == null ? null : status.applied(),
                    status == null ? null : status.lastAttempt(), status == null ? null : status.drift()));
        }
        return new SyncView(cards);
    }
}
