package io.tidepool.manifests.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidepool.api.quantity.Cu;
import io.tidepool.api.resource.Endpoint;
import io.tidepool.api.resource.ObjectMeta;
import io.tidepool.api.resource.Resource;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApplyPlannerTest {
    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");

    @Test
    void createsWhatIsNotStoredAndStampsItsCreationTime() {
        PlannedChange change = ApplyPlanner.plan(List.of(endpoint("shop", "2", Map.of())), Map.of(), NOW).get(0);

        assertThat(change.action()).isEqualTo(Action.CREATE);
        assertThat(change.live()).isNull();
        assertThat(change.next().metadata().creationTimestamp()).isEqualTo(NOW);
        assertThat(change.next().status()).isNull();
    }

    @Test
    void leavesAnObjectThatDeclaresTheSameUnchangedWhateverItsStatus() {
        Endpoint live = withStatus(endpoint("shop", "2", Map.of("team", "web")), "1.5");
        PlannedChange change = ApplyPlanner.planOne(endpoint("shop", "2", Map.of("team", "web")), live, NOW);

        assertThat(change.action()).isEqualTo(Action.UNCHANGED);
        assertThat(change.writes()).isFalse();
    }

    @Test
    void configuresASpecChangeAndKeepsWhatTheSystemWrote() {
        Endpoint live = withStatus(endpoint("shop", "2", Map.of()), "1.5");
        live = live.withMetadata(live.metadata().withRevisions(42, 7).withCreationTimestamp(NOW.minusSeconds(60)));

        PlannedChange change = ApplyPlanner.planOne(endpoint("shop", "4", Map.of()), live, NOW);

        Endpoint next = (Endpoint) change.next();
        assertThat(change.action()).isEqualTo(Action.CONFIGURE);
        assertThat(next.spec().compute().maxCu()).isEqualTo(Cu.ofWhole(4));
        assertThat(next.status()).isEqualTo(live.status());
        assertThat(next.metadata().creationTimestamp()).isEqualTo(NOW.minusSeconds(60));
        assertThat(next.metadata().resourceVersion()).isEqualTo(42);
    }

    @Test
    void configuresALabelChangeAlone() {
        PlannedChange change = ApplyPlanner.planOne(endpoint("shop", "2", Map.of("team", "web")),
                endpoint("shop", "2", Map.of("team", "ops")), NOW);

        assertThat(change.action()).isEqualTo(Action.CONFIGURE);
        assertThat(change.next().metadata().labels()).containsEntry("team", "web");
    }

    static Endpoint endpoint(String name, String maxCu, Map<String, String> labels) {
        return new Endpoint(ObjectMeta.named(name).withLabels(labels),
                new Endpoint.Spec("local", new Endpoint.ComputeRange(Cu.parse("0.25"), Cu.parse(maxCu)), null, null, null),
                null);
    }

    private static Endpoint withStatus(Resource endpoint, String cu) {
        return ((Endpoint) endpoint).withStatus(new Endpoint.Status(Endpoint.Phase.Running, "h1", Cu.parse(cu), null, null, null, null, null, null));
    }
}
