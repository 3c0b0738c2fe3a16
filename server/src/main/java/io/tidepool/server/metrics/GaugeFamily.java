package io.tidepool.server.metrics;

import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;

/**
 * One gauge family built at scrape time, its points added as a pass over the fleet finds them:
 * what a callback gauge does, for many series read in one pass rather than one callback each.
 */
final class GaugeFamily {
    private final GaugeSnapshot.Builder builder;

    GaugeFamily(String name, String help) {
        builder = GaugeSnapshot.builder().name(name).help(help);
    }

    /** @param labels name, value, name, value, ... */
    GaugeFamily add(double value, String... labels) {
        builder.dataPoint(GaugeDataPointSnapshot.builder().labels(Labels.of(labels)).value(value).build());
        return this;
    }

    GaugeSnapshot snapshot() {
        return builder.build();
    }
}
