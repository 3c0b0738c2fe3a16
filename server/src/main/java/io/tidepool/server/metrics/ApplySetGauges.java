package io.tidepool.server.metrics;

import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.tidepool.api.resource.ApplySet;
import io.tidepool.api.resource.Kind;
import io.tidepool.api.resource.Resource;
import io.tidepool.registry.ResourceRegistry;
import io.tidepool.store.StoreException;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The state of each apply set as its ApplySet record and inventory say, as Argo CD and Flux expose
 * the sync state of their applications: the commit in force (an info series, the commit a label),
 * when it was applied, how the latest attempt went, whether the commit in force is the latest one
 * an attempt was made from, and how many of the set's objects drifted from what it applied (as the
 * leader's {@link io.tidepool.server.apply.DriftRecorder} keeps it in each record, so a scrape never
 * reads the members). The records are read at each scrape (sets are few).
 */
final class ApplySetGauges {
    private final ResourceRegistry registry;

    ApplySetGauges(ResourceRegistry registry) {
        this.registry = registry;
    }

    /** The series of every set; none when the store cannot be read now (the scrape still answers). */
    List<MetricSnapshot> collect() {
        List<ApplySet> sets;
        try {
            sets = registry.listAll(Kind.APPLY_SET).stream().map(ApplySet.class::cast)
                    .sorted(Comparator.comparing(Resource::name)).toList();
        } catch (StoreException unavailable) {
            return List.of();
        }
        GaugeFamily info = new GaugeFamily("tidepool_applyset_info",
                "1 for each apply set, with where its manifests come from and the commit of the apply in force");
        GaugeFamily objects = new GaugeFamily("tidepool_applyset_objects", "Objects in the set's inventory");
        GaugeFamily applied = new GaugeFamily("tidepool_applyset_last_applied_time_seconds",
                "When the apply in force was made, in seconds since the epoch; absent before the set's first success");
        GaugeFamily attempted = new GaugeFamily("tidepool_applyset_last_attempt_time_seconds",
                "When the set's latest recorded attempt was made (an apply that changes nothing records none)");
        GaugeFamily outcome = new GaugeFamily("tidepool_applyset_last_attempt_outcome",
                "1 for the outcome of the set's latest attempt, 0 for the others");
        GaugeFamily synced = new GaugeFamily("tidepool_applyset_synced",
                "For a set from git: 1 when the commit in force is the latest commit an apply was attempted from"
                        + " (the repository's head as the sync last saw it), 0 when a later commit did not apply");
        GaugeFamily drifted = new GaugeFamily("tidepool_applyset_drifted_objects",
                "Objects of the set whose labels, annotations or spec were changed or deleted since the set applied them");
        for (ApplySet set : sets) {
            String name = set.name();
            ApplySet.Source source = set.spec() == null ? null : set.spec().source();
            ApplySet.Status status = set.status();
            ApplySet.Applied inForce = status == null ? null : status.applied();
            ApplySet.Attempt last = status == null ? null : status.lastAttempt();
            info.add(1, "set", name, "repo", text(source == null ? null : source.repo()),
                    "branch", text(source == null ? null : source.branch()), "path", text(source == null ? null : source.path()),
                    "commit", text(inForce == null ? null : inForce.commit()));
            objects.add(status == null ? 0 : status.objects(), "set", name);
            if (inForce != null && inForce.at() != null) {
                applied.add(seconds(inForce.at()), "set", name);
            }
            if (last != null) {
                attempted.add(seconds(last.at()), "set", name);
                for (ApplySet.Outcome each : ApplySet.Outcome.values()) {
                    outcome.add(each == last.outcome() ? 1 : 0, "set", name, "outcome", each.name());
                }
            }
            if (source != null && source.repo() != null && last != null) {
                boolean current = inForce != null && Objects.equals(inForce.commit(), last.commit());
                synced.add(current ? 1 : 0, "set", name);
            }
            if (status != null && status.drift() != null) {
                drifted.add(status.drift().count(), "set", name);
            }
        }
        return List.of(info.snapshot(), objects.snapshot(), applied.snapshot(), attempted.snapshot(), outcome.snapshot(),
                synced.snapshot(), drifted.snapshot());
    }

    private static String text(String value) {
        return value == null ? "" : value;
    }

    private static double seconds(Instant at) {
        return at.toEpochMilli() / 1000.0;
    }
}
