package io.tidepool.timeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidepool.api.agent.ComputeMetrics;
import io.tidepool.api.quantity.Cu;
import io.tidepool.api.resource.Compute;
import io.tidepool.api.resource.Condition;
import io.tidepool.api.resource.Endpoint;
import io.tidepool.api.resource.Migration;
import io.tidepool.api.resource.ObjectMeta;
import io.tidepool.control.Conditions;
import io.tidepool.event.EventNote;
import io.tidepool.reconcile.ManualClock;
import io.tidepool.switchover.Switchover;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TimelineFeedTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private final ManualClock clock = new ManualClock(T0);
    private final Timelines timelines = new Timelines(new Timelines.Settings(Duration.ofSeconds(10), 30, 3, 3));
    private final List<EventNote> events = new ArrayList<>();
    private final TimelineFeed feed = new TimelineFeed(timelines, clock, endpoint -> Optional.of("Postgres 16 was asked for"),
            events::add);

    @Test
    void drawsThePrimarysAllocatedCuAndItsSamplesButNotAReplacements() {
        Compute primary = compute("shop-1", Compute.Role.primary, "2", null, Map.of());
        feed.computeChanged(null, primary);
        feed.sampled(primary, new ComputeMetrics(T0.plusSeconds(1), 1.5, 1L << 30, 0));
        feed.sampled(compute("shop-2", Compute.Role.replacement, "2", null, Map.of()), new ComputeMetrics(T0.plusSeconds(2), 9, 1L << 30, 0));

        TimelineView view = timelines.view("shop").orElseThrow();
        assertThat(view.cu()).containsExactly(2.0);
        assertThat(view.load1()).containsExactly(1.5);
    }

    @Test
    void aDownscaleNotYetConfirmedStillHoldsWhatTheComputeRunsWith() {
        feed.computeChanged(null, compute("shop-1", Compute.Role.primary, "1", "2", Map.of()));

        assertThat(timelines.view("shop").orElseThrow().cu()).containsExactly(2.0);
    }

    @Test
    void marksEachNewScalingDecisionOnceWithItsExplanation() {
        Endpoint.Decision up = new Endpoint.Decision(T0, Cu.parse("0.25"), Cu.parse("1"), "upscale 0.25 -> 1 CU: load1 0.8 > 0.9 x 0.25 vCPU");
        Endpoint before = endpoint(Endpoint.Phase.Running, null);
        Endpoint after = endpoint(Endpoint.Phase.Running, up);
        feed.endpointChanged(before, after);
        feed.endpointChanged(after, endpoint(Endpoint.Phase.Scaling, up));

        List<Marker> markers = timelines.view("shop").orElseThrow().markers();
        assertThat(markers).singleElement().satisfies(m -> {
            assertThat(m.type()).isEqualTo(Marker.Type.scaling);
            assertThat(m.title()).isEqualTo("upscale 0.25 -> 1 CU");
            assertThat(m.explanation()).contains("load1 0.8");
            assertThat(m.toCu()).isEqualTo(Cu.parse("1"));
        });
        assertThat(events).singleElement().isEqualTo(EventNote.normal("Endpoint/shop", "Upscaled",
                "upscale 0.25 -> 1 CU: load1 0.8 > 0.9 x 0.25 vCPU", T0));
    }

    @Test
    void marksAMigrationWhenItStartsAndWhenItEnds() {
        Migration started = migration(Migration.Phase.Copying, null);
        feed.migrationChanged(null, started);
        clock.advance(Duration.ofSeconds(4));
        feed.migrationChanged(started, migration(Migration.Phase.Succeeded, T0.plusSeconds(4)));

        assertThat(timelines.view("shop").orElseThrow().markers()).extracting(Marker::title, Marker::explanation)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("migration h1 -> h2", "h1 is at 95% of its capacity, above its watermark 90%"),
                        org.assertj.core.groups.Tuple.tuple("moved h1 -> h2", "the replacement took over after 4.0 s"));
        assertThat(events).extracting(EventNote::reason, EventNote::message).containsExactly(
                org.assertj.core.groups.Tuple.tuple("MigrationStarted",
                        "migration h1 -> h2: h1 is at 95% of its capacity, above its watermark 90%"),
                org.assertj.core.groups.Tuple.tuple("Migrated", "moved h1 -> h2: the replacement took over after 4.0 s"));
    }

    @Test
    void marksARestartsReplacementAndTheSwitchToIt() {
        Map<String, String> label = Map.of(Switchover.PURPOSE_LABEL, "restart");
        Compute replacement = compute("shop-2", Compute.Role.replacement, "1", null, label);
        feed.computeChanged(null, replacement);
        feed.computeChanged(replacement, compute("shop-2", Compute.Role.primary, "1", null, Map.of()));

        assertThat(timelines.view("shop").orElseThrow().markers()).extracting(Marker::title)
                .containsExactly("restart: replacement starting", "restart: switched");
        assertThat(timelines.view("shop").orElseThrow().markers().get(0).explanation())
                .contains("shop-2 on h1", "Postgres 16 was asked for");
    }

    @Test
    void aSuspendDropsTheCuToZeroAndSaysWhy() {
        feed.computeChanged(null, compute("shop-1", Compute.Role.primary, "1", null, Map.of()));
        Endpoint suspended = endpoint(Endpoint.Phase.Suspended, null).withStatus(new Endpoint.Status(Endpoint.Phase.Suspended,
                null, Cu.ZERO, null, List.of(new Condition(Conditions.SUSPENDED, Condition.Status.True, "Idle",
                "idle for 5m (suspendAfter 5m)", T0)), null, null, 1L, null));
        clock.advance(Duration.ofSeconds(20));
        feed.endpointChanged(endpoint(Endpoint.Phase.Running, null), suspended);
        feed.endpointChanged(suspended, endpoint(Endpoint.Phase.Pending, null));

        TimelineView view = timelines.view("shop").orElseThrow();
        assertThat(view.cu()).containsExactly(1.0, 1.0, 0.0);
        assertThat(view.markers()).extracting(Marker::title).containsExactly("suspended", "resumed");
        assertThat(view.markers().get(0).explanation()).isEqualTo("idle for 5m (suspendAfter 5m)");
    }

    @Test
    void forgetsADeletedEndpoint() {
        feed.computeChanged(null, compute("shop-1", Compute.Role.primary, "1", null, Map.of()));
        feed.endpointChanged(endpoint(Endpoint.Phase.Running, null), null);

        assertThat(timelines.view("shop")).isEmpty();
    }

    private static Endpoint endpoint(Endpoint.Phase phase, Endpoint.Decision decision) {
        return new Endpoint(ObjectMeta.named("shop"), new Endpoint.Spec("local",
                new Endpoint.ComputeRange(Cu.parse("0.25"), Cu.parse("4")), null, null, null),
                new Endpoint.Status(phase, "h1", Cu.parse("1"), null, List.of(), decision, "shop-1", 1L, null));
    }

    private static Compute compute(String name, Compute.Role role, String specCu, String statusCu, Map<String, String> labels) {
        return new Compute(ObjectMeta.named(name).withLabels(labels),
                new Compute.Spec("shop", "h1", Cu.parse(specCu), role, 1, new Endpoint.Postgres("16", null)),
                statusCu == null ? null : new Compute.Status(Compute.Phase.Running, Cu.parse(statusCu), null, true, List.of()));
    }

    private static Migration migration(Migration.Phase phase, Instant finishedAt) {
        return new Migration(ObjectMeta.named("shop-1-to-h2"),
                new Migration.Spec("shop", "shop-1", "shop-2", "h1", "h2", "h1 is at 95% of its capacity, above its watermark 90%"),
                new Migration.Status(phase, T0, null, finishedAt, null));
    }
}
