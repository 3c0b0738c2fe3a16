package io.tidepool.server.apply;

import io.tidepool.api.resource.ApplySet;
import io.tidepool.api.resource.Kind;
import io.tidepool.manifests.apply.DriftReport;
import io.tidepool.registry.ResourceRegistry;
import io.tidepool.store.Watch;
import io.tidepool.store.WatchCancelledException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Keeps each apply set's drift in its status, for {@code get applysets}, the console and metrics:
 * the leader checks every set now and then (and a git sync its own set every round) and writes the
 * drift only when it is not what the status says already. A check of every set reads every
 * member and marker (about a second for 100,000 objects, docs/BENCHMARKS.md), so it is skipped
 * while a watch on the inventories and the declared markers says nothing changed since the last.
 */
public final class DriftRecorder implements AutoCloseable {
    private final ResourceRegistry registry;
    private final ApplySetRecords records;
    private final Clock clock;
    /** On what drift is checked from, since the last full check; null when a check is due. */
    private List<Watch> inputs;

    public DriftRecorder(ResourceRegistry registry, ApplySetRecords records, Clock clock) {
        this.registry = registry;
        this.records = records;
        this.clock = clock;
    }

    /** Checks and records every set's drift, unless nothing it depends on changed since the last check. */
    public synchronized void recordAll() {
        if (inputs != null && !changedSinceCheck()) {
            return;
        }
        closeInputs();
        long revision = registry.store().currentRevision();
        Map<String, DriftReport> reports = ApplySetDrift.checkAll(registry);
        boolean allRecorded = true;
        for (ApplySet set : registry.listAll(Kind.APPLY_SET).stream().map(ApplySet.class::cast).toList()) {
            DriftReport report = reports.getOrDefault(set.name(), new DriftReport(set.name(), revision, 0, List.of()));
            allRecorded &= records.recordDrift(set, summary(report, clock.instant()));
        }
        if (allRecorded) {
            // A record lost to a write of its set meanwhile leaves inputs null: the next call checks again.
            inputs = watchInputsFrom(revision + 1);
        }
    }

    /** Checks one set's drift and records it; empty when the set has no record. */
    public Optional<DriftReport> record(String set) {
        Optional<DriftReport> report = ApplySetDrift.check(registry, set);
        Optional<ApplySet> stored = records.get(set);
        if (report.isPresent() && stored.isPresent()) {
            // Lost to a write of the set meanwhile: the next check records what is true then.
            records.recordDrift(stored.get(), summary(report.get(), clock.instant()));
        }
        return report;
    }

    /** The status form of a drift report: the count and the first objects with why. */
    static ApplySet.Drift summary(DriftReport report, Instant at) {
        return new ApplySet.Drift(at, report.drifted().size(), report.drifted().stream().limit(ApplySet.Drift.MAX_LISTED)
                .map(d -> d.ref() + " (" + d.reason() + ")").toList());
    }

    private boolean changedSinceCheck() {
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

    private List<Watch> watchInputsFrom(long revision) {
        List<Watch> watches = new ArrayList<>();
        try {
            for (String prefix : ApplySetDrift.inputs()) {
                watches.add(registry.store().watch(prefix, revision));
            }
            return watches;
        } catch (RuntimeException e) {
            watches.forEach(Watch::close);
            return null;
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
}
