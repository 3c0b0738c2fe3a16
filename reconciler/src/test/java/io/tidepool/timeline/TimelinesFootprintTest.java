package io.tidepool.timeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidepool.api.agent.ComputeMetrics;
import io.tidepool.api.quantity.Cu;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * How much heap one endpoint's timeline takes once full (an hour of 10 s buckets and every marker
 * slot used), as the leader keeps it for 100,000 endpoints. Printed, not asserted: heap
 * measurements are noisy. docs/BENCHMARKS.md records the numbers.
 */
class TimelinesFootprintTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final int ENDPOINTS = 20_000;

    @Test
    void aFullHourOfTenSecondBucketsWithAndWithoutEveryMarkerSlotUsed() {
        String[] names = new String[ENDPOINTS];
        for (int i = 0; i < ENDPOINTS; i++) {
            names[i] = "endpoint-" + i;
        }
        Timelines.Settings settings = Timelines.Settings.DEFAULT;
        long quiet = bytesPerEndpoint(names, false);
        long busy = bytesPerEndpoint(names, true);
        System.out.printf("Timelines footprint: %d bytes per endpoint with no markers, %d with every marker slot used"
                        + " (%d buckets of %s, %d decisions and %d other markers, explanations of ~80 characters;"
                        + " %d endpoints measured)%n",
                quiet, busy, settings.buckets(), settings.step(), settings.decisionsKept(), settings.otherMarkersKept(), ENDPOINTS);
    }

    private static long bytesPerEndpoint(String[] names, boolean withMarkers) {
        long before = usedHeapBytes();
        Timelines timelines = new Timelines(Timelines.Settings.DEFAULT);
        for (int i = 0; i < ENDPOINTS; i++) {
            fill(timelines, names[i], i, withMarkers);
        }
        long after = usedHeapBytes();
        assertThat(timelines.size()).isEqualTo(ENDPOINTS);
        TimelineView view = timelines.view(names[0]).orElseThrow();
        assertThat(view.time()).hasSize(Timelines.Settings.DEFAULT.buckets());
        assertThat(view.markers()).hasSize(withMarkers ? Timelines.Settings.DEFAULT.decisionsKept()
                + Timelines.Settings.DEFAULT.otherMarkersKept() : 0);
        return (after - before) / ENDPOINTS;
    }

    private static void fill(Timelines timelines, String name, int seed, boolean withMarkers) {
        long step = Timelines.Settings.DEFAULT.step().toSeconds();
        int buckets = Timelines.Settings.DEFAULT.buckets();
        for (int b = 0; b < buckets; b++) {
            Instant at = T0.plusSeconds(b * step);
            timelines.sample(name, new ComputeMetrics(at, (seed + b) % 400 / 100.0, ((seed + b) % 16L) << 28, 0));
            if (b % 30 == 0) {
                timelines.allocated(name, at, Cu.ofQuarters(1 + (seed + b) % 16));
            }
        }
        for (int m = 0; withMarkers && m < 40; m++) {
            Instant at = T0.plusSeconds(m * 97L);
            // Each explanation its own string, as the controllers' are.
            String explanation = "upscale " + m + " -> " + (m + 1) + " CU: load1 " + (seed % 100) / 10.0
                    + " > 0.9 x " + m + " vCPU; memory 1.2 GiB of " + m + " GiB";
            timelines.mark(name, m % 2 == 0 ? Marker.scaling(at, Cu.ofWhole(m), Cu.ofWhole(m + 1), explanation)
                    : Marker.of(at, Marker.Type.migration, "migration h" + m + " -> h" + (m + 1), explanation));
        }
    }

    private static long usedHeapBytes() {
        Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
