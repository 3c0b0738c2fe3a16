package io.tidepool.manifests.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.TextNode;
import io.tidepool.api.quantity.Cu;
import io.tidepool.api.resource.Compute;
import io.tidepool.api.resource.Condition;
import io.tidepool.api.resource.Endpoint;
import io.tidepool.api.resource.Event;
import io.tidepool.api.resource.ObjectMeta;
import io.tidepool.manifests.describe.Description;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DescriptionTextTest {
    private static final Instant NOW = Instant.parse("2026-01-05T12:00:00Z");

    @Test
    void showsAnEndpointLikeKubectlDescribe() {
        Description description = new Description(shop(), List.of(compute()), List.of(event()),
                List.of(new Description.LatestDecision("shop-3", "HOLD", Cu.ofWhole(1), Cu.ofWhole(1), "stabilising",
                        "hold at 1 CU: a sample in the window asked for 1 CU")), null,
                List.of(new Description.ControllerNote("restart", "restart for postgres 15 -> 16: window opens Sun 02:00 UTC")),
                List.of(new Description.RecentDecision(NOW.minusSeconds(180), Cu.parse("0.25"), Cu.ofWhole(1),
                                "upscale 0.25 -> 1 CU: load1 0.8 > 0.9 x 0.25 vCPU"),
                        new Description.RecentDecision(NOW.minusSeconds(1_500), Cu.ofWhole(2), Cu.parse("0.25"),
                                "downscale 2 -> 0.25 CU: load1 0.01 for 5m")));

        assertThat(DescriptionText.render(description, NOW)).isEqualTo("""
                Name:         shop
                Kind:         Endpoint
                Labels:       team=web
                Annotations:  <none>
                Created:      2026-01-05T08:59:59Z (3h ago)
                Revision:     42
                Spec:
                  cell:          local
                  compute:
                    minCu:  0.25
                    maxCu:  2
                  postgres:
                    version:  15
                    settings:
                      max_connections:  200
                  suspendAfter:  5m
                Status:
                  phase:    Running
                  host:     local-host-1
                  cu:       1
                  address:  sim://local-host-1/shop-3
                  compute:  shop-3
                  epoch:    3
                Conditions:
                  TYPE        STATUS   REASON    AGE    MESSAGE
                  Scheduled   True     Placed    2h5m   placed 0.25 CU on local-host-1
                  Suspended   False    Resumed   45s    resumed on request
                Computes:
                  NAME     ENDPOINT   HOST           CU   APPLIED   ROLE      EPOCH   PHASE     AGE
                  shop-3   shop       local-host-1   1    1         primary   3       Running   3m12s
                Scaling:
                  Last change:  upscale 0.25 -> 1 CU: load1 0.8 > 0.9 x 0.25 vCPU (3m ago)
                  Latest:       shop-3: hold at 1 CU: a sample in the window asked for 1 CU [stabilising]
                  Recent changes:
                    AGE   FROM   TO     WHY
                    3m    0.25   1      upscale 0.25 -> 1 CU: load1 0.8 > 0.9 x 0.25 vCPU
                    25m   2      0.25   downscale 2 -> 0.25 CU: load1 0.01 for 5m
                Controllers:
                  restart:  restart for postgres 15 -> 16: window opens Sun 02:00 UTC
                Events:
                  TYPE     REASON    AGE   COUNT   MESSAGE
                  Normal   Resumed   45s   2       resumed on request
                """);
    }

    @Test
    void saysWhereTheScalingDecisionsAreWhenTheNodeDoesNotLead() {
        String note = "the autoscaler's latest decisions are kept in the leader's memory, and this node (n2) does not lead: ask n1";

        String text = DescriptionText.render(new Description(shop(), List.of(), List.of(), List.of(), note, List.of(), List.of()), NOW);

        assertThat(text).contains("  Latest:       " + note + "\n", "Computes:  <none>\n", "Events:  <none>\n");
    }

    @Test
    void countsAgesAsKubectlDoes() {
        assertThat(DescriptionText.age(ago(Duration.ofSeconds(59)), NOW)).isEqualTo("59s");
        assertThat(DescriptionText.age(ago(Duration.ofSeconds(192)), NOW)).isEqualTo("3m12s");
        assertThat(DescriptionText.age(ago(Duration.ofMinutes(42)), NOW)).isEqualTo("42m");
        assertThat(DescriptionText.age(ago(Duration.ofMinutes(125)), NOW)).isEqualTo("2h5m");
        assertThat(DescriptionText.age(ago(Duration.ofDays(3)), NOW)).isEqualTo("3d");
        assertThat(DescriptionText.age(null, NOW)).isEqualTo("-");
    }

    private static TextNode ago(Duration duration) {
        return TextNode.valueOf(NOW.minus(duration).toString());
    }

    private static Endpoint shop() {
        ObjectMeta meta = ObjectMeta.named("shop").withLabels(Map.of("team", "web"))
                .withCreationTimestamp(NOW.minus(Duration.ofHours(3)).minusMillis(250)).withRevisions(42, 7);
        Endpoint.Spec spec = new Endpoint.Spec("local", new Endpoint.ComputeRange(Cu.QUARTER, Cu.ofWhole(2)),
                new Endpoint.Postgres("15", Map.of("max_connections", "200")), Duration.ofMinutes(5), null);
        Endpoint.Status status = new Endpoint.Status(Endpoint.Phase.Running, "local-host-1", Cu.ofWhole(1),
                "sim://local-host-1/shop-3", List.of(
                        new Condition("Scheduled", Condition.Status.True, "Placed", "placed 0.25 CU on local-host-1",
                                NOW.minus(Duration.ofMinutes(125))),
                        new Condition("Suspended", Condition.Status.False, "Resumed", "resumed on request",
                                NOW.minus(Duration.ofSeconds(45)))),
                new Endpoint.Decision(NOW.minus(Duration.ofMinutes(3)), Cu.QUARTER, Cu.ofWhole(1),
                        "upscale 0.25 -> 1 CU: load1 0.8 > 0.9 x 0.25 vCPU"),
                "shop-3", 3L, null);
        return new Endpoint(meta, spec, status);
    }

    private static Compute compute() {
        return new Compute(ObjectMeta.named("shop-3").withCreationTimestamp(NOW.minus(Duration.ofSeconds(192))),
                new Compute.Spec("shop", "local-host-1", Cu.ofWhole(1), Compute.Role.primary, 3, null),
                new Compute.Status(Compute.Phase.Running, Cu.ofWhole(1), "sim://local-host-1/shop-3", true, List.of()));
    }

    private static Event event() {
        return new Event(ObjectMeta.named("shop.resumed"), new Event.Spec("Endpoint/shop", Event.Type.Normal, "Resumed",
                "resumed on request"), new Event.Status(NOW.minus(Duration.ofMinutes(5)), NOW.minus(Duration.ofSeconds(45)), 2));
    }
}
