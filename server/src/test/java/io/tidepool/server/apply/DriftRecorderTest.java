package io.tidepool.server.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidepool.api.codec.ManifestCodec;
import io.tidepool.api.resource.ApplySet;
import io.tidepool.api.resource.Kind;
import io.tidepool.manifests.apply.ApplyOptions;
import io.tidepool.manifests.source.ManifestFile;
import io.tidepool.registry.ResourceRegistry;
import io.tidepool.store.memory.InMemoryStore;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class DriftRecorderTest {
    private static final String CELL = """
            apiVersion: tidepool.io/v1
            kind: Cell
            metadata: {name: local}
            spec: {hostTemplate: {cpus: 16, memory: 64Gi}}
            """;
    private static final String ENDPOINT = """
            apiVersion: tidepool.io/v1
            kind: Endpoint
            metadata: {name: shop}
            spec: {cell: local, compute: {minCu: 0.25, maxCu: %s}}
            """;

    private final InMemoryStore store = new InMemoryStore();
    private final ResourceRegistry registry = new ResourceRegistry(store);
    private final Clock clock = Clock.fixed(Instant.parse("2026-03-02T09:00:00Z"), ZoneOffset.UTC);
    private final ManifestApplier applier = new ManifestApplier(registry, new ManifestCodec(), clock);
    private final DriftRecorder recorder = new DriftRecorder(registry, applier.applySets(), clock);

    private void applySet(String maxCu) {
        var response = applier.apply(List.of(new ManifestFile("cell.yaml", CELL), new ManifestFile("shop.yaml", ENDPOINT.formatted(maxCu))),
                new ApplyOptions(false, "fleet", true, false, null, null));
        assertThat(response.errors()).isEmpty();
    }

    private ApplySet.Drift recorded() {
        return registry.get(ApplySet.class, Kind.APPLY_SET, "fleet").orElseThrow().status().drift();
    }

    @Test
    void anApplyLeavesNoDriftAndAChangeByHandIsRecordedWithItsObject() {
        applySet("2");
        assertThat(recorded()).isEqualTo(ApplySet.Drift.none(clock.instant()));

        applier.apply(List.of(new ManifestFile("hotfix.yaml", ENDPOINT.formatted("4"))), false);
        recorder.recordAll();

        assertThat(recorded()).isEqualTo(new ApplySet.Drift(clock.instant(), 1, List.of("Endpoint/shop (changed)")));

        applySet("2");
        assertThat(recorded().count()).as("applying the set again puts it back").isZero();
    }

    @Test
    void recordingWhatTheStatusSaysAlreadyWritesNothing() {
        applySet("2");
        recorder.recordAll();
        long revision = store.currentRevision();

        recorder.recordAll();
        recorder.record("fleet");

        assertThat(store.currentRevision()).isEqualTo(revision);
    }
}
