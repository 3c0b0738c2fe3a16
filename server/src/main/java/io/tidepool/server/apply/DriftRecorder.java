package io.tidepool.server.apply;

import io.tidepool.api.resource.ApplySet;
import io.tidepool.api.resource.Kind;
import io.tidepool.api.resource.Resource;
import io.tidepool.manifests.apply.DriftReport;
import io.tidepool.registry.ResourceRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Keeps each apply set's drift in its status, for {@code get applysets}, the console and metrics:
 * the leader checks every set now and then (and a git sync its own set every round) and writes the
 * drift only when it is not what the status says already.
 */
public final class DriftRecorder {
    private final ResourceRegistry registry;
    private final ApplySetRecords records;
    private final Clock clock;

    public DriftRecorder(ResourceRegistry registry, ApplySetRecords records, Clock clock) {
        this.registry = registry;
        this.records = records;
        this.clock = clock;
    }

    /** Checks and records every set's drift. */
    public void recordAll() {
        for (Resource set : registry.listAll(Kind.APPLY_SET)) {
            record(set.name());
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
}
