package io.tidepool.server.metrics;

import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.tidepool.api.resource.ApplySet;
import io.tidepool.api.resource.Kind;
import io.tidepool.api.resource.Resource;
import io.tidepool.registry.ResourceRegistry;
import io.tidepool.server.apply.ApplySetDrift;
import io.tidepool.store.StoreException;
import io.tidepool.store.Watch;
import io.tidepool.store.WatchCancelledException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state of each apply set as its ApplySet record and inventory say, as Argo CD and Flux expose
 * the sync state of their applications: the commit in force (an info series, the commit a label),
 * when it was applied, how the latest attempt went, whether the commit in force is the latest one
 * an attempt was made from, and how many of the set's objects drifted from what it applied. The
 * records are read at each scrape (sets are few). Drift is counted again only when an inventory or
 * a declared marker changed since the last count, which a watch on them says: counting reads every
 * member and marker (about a second for 100,000 objects, docs/BENCHMARKS.md), a cost a scrape
 * should not pay when nothing moved; and not sooner than ten times the last count took, so that a
 * fleet whose objects keep changing spends at most a tenth of the leader's time counting.
 */
final class ApplySetGauges implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ApplySetGauges.class);
    private static final int COUNT_SPACING = 10;

    private final ResourceRegistry registry;
    private Map<String, Integer> drifted;
    private boolean changed;
    private long countedAtNanos;
    private long countTookNanos;
    /** On what drift is counted from, since the last count; null when they could not be watched. */
    private List<Watch> inputs;

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
        Optional<Map<String, Integer>> drift = sets.isEmpty() ? Optional.empty() : drift();
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
            drift.ifPresent(counts -> drifted.add(counts.getOrDefault(name, 0), "set", name));
        }
        return List.of(info.snapshot(), objects.snapshot(), applied.snapshot(), attempted.snapshot(), outcome.snapshot(),
                synced.snapshot(), drifted.snapshot());
    }

    /** Drifted objects per set: counted again when what they are counted from changed. */
    private synchronized Optional<Map<String, Integer>> drift() {
        try {
            changed |= changedSinceCount();
            if (drifted == null || changed && System.nanoTime() - countedAtNanos >= COUNT_SPACING * countTookNanos) {
                count();
            }
            return Optional.of(drifted);
        } catch (StoreException unavailable) {
            return Optional.empty();
        } catch (RuntimeException e) {
            // Whatever went wrong, the rest of the scrape still answers; the next scrape counts again.
            log.warn("counting the apply sets' drift failed: {}", e.toString());
            drifted = null;
            return Optional.empty();
        }
    }

    private boolean changedSinceCount() {
        if (inputs == null) {
            return true;
        }
        try {
            for (Watch watch : inputs) {
                if (!watch.poll(Duration.ZERO).isEmpty()) {
                    return true;
                }
            }
            return false;
        } catch (WatchCancelledException behind) {
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    private void count() {
        closeInputs();
        long start = System.nanoTime();
        long revision = registry.store().currentRevision();
        drifted = ApplySetDrift.driftedBySet(registry);
        changed = false;
        countedAtNanos = System.nanoTime();
        countTookNanos = countedAtNanos - start;
        List<Watch> watches = new ArrayList<>();
        try {
            for (String prefix : ApplySetDrift.inputs()) {
                watches.add(registry.store().watch(prefix, revision + 1));
            }
            inputs = watches;
        } catch (RuntimeException e) {
            watches.forEach(Watch::close);
            inputs = null; // count again at the next scrape
        }
    }

    private void closeInputs() {
        if (inputs != null) {
            inputs.forEach(Watch::close);
            inputs = null;
        }
    }

    @Override
    public synchronized void close() {
        closeInputs();
    }

    private static String text(String value) {
        return value == null ? "" : value;
    }

    private static double seconds(Instant at) {
        return at.toEpochMilli() / 1000.0;
    }
}
