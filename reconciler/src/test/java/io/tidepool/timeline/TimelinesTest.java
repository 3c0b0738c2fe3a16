package io.tidepool.timeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidepool.api.agent.ComputeMetrics;
import io.tidepool.api.quantity.Cu;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TimelinesTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private final Timelines timelines = new Timelines(new Timelines.Settings(Duration.ofSeconds(10), 60, 3, 2));

    @Test
    void tellsWhoListensToAnEndpointOfEachChangeUntilTheyStop() throws Exception {
        AtomicInteger heard = new AtomicInteger();
        AutoCloseable listening = timelines.listen("shop", heard::incrementAndGet);
        timelines.sample("shop", new ComputeMetrics(T0, 0.5, 1L << 30, 0));
        timelines.sample("blog", new ComputeMetrics(T0, 0.5, 1L << 30, 0));
        timelines.allocated("shop", T0, Cu.parse("1"));
        listening.close();
        timelines.allocated("shop", T0.plusSeconds(1), Cu.parse("2"));

        assertThat(heard).hasValue(2);
    }

    @Test
    void keepsDecisionsAndOtherMarkersApartSoThatManyDecisionsDoNotPushAMigrationOut() {
        timelines.mark("shop", Marker.of(T0, Marker.Type.migration, "migration h1 -> h2", "above its watermark"));
        for (int i = 1; i <= 5; i++) {
            timelines.mark("shop", new Marker(T0.plusSeconds(i), Marker.Type.scaling, "upscale " + i, "load", Cu.ofWhole(i), Cu.ofWhole(i + 1)));
        }

        TimelineView view = timelines.view("shop").orElseThrow();
        assertThat(view.markers()).extracting(Marker::title)
                .containsExactly("migration h1 -> h2", "upscale 3", "upscale 4", "upscale 5");
        assertThat(view.latestDecisions(2)).extracting(Marker::title).containsExactly("upscale 5", "upscale 4");
    }

    @Test
    void anEndpointNeverHeardOfHasNoTimeline() {
        assertThat(timelines.view("nobody")).isEmpty();
    }
}
