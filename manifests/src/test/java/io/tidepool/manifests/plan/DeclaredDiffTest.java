package io.tidepool.manifests.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidepool.api.codec.ManifestCodec;
import io.tidepool.api.quantity.Cu;
import io.tidepool.api.resource.Endpoint;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeclaredDiffTest {
    private final DeclaredDiff diff = new DeclaredDiff(new ManifestCodec());

    @Test
    void showsTheChangedFieldAsAUnifiedDiff() {
        String text = diff.between(ApplyPlannerTest.endpoint("shop", "2", Map.of()), ApplyPlannerTest.endpoint("shop", "4", Map.of()));

        assertThat(text).startsWith("--- live/Endpoint/shop\n+++ applied/Endpoint/shop\n@@ ");
        assertThat(text).containsPattern("(?m)^-.*maxCu: 2$").containsPattern("(?m)^\\+.*maxCu: 4$");
    }

    @Test
    void isEmptyWhenOnlyStatusAndRevisionsDiffer() {
        Endpoint live = ApplyPlannerTest.endpoint("shop", "2", Map.of());
        live = live.withStatus(new Endpoint.Status(Endpoint.Phase.Running, "h1", Cu.ofWhole(1), null, null, null, null, null, null));
        live = live.withMetadata(live.metadata().withRevisions(9, 3));

        assertThat(diff.between(live, ApplyPlannerTest.endpoint("shop", "2", Map.of()))).isEmpty();
    }

    @Test
    void showsAWholeNewObjectAgainstDevNull() {
        String text = diff.between(null, ApplyPlannerTest.endpoint("blog", "1", Map.of()));

        assertThat(text).startsWith("--- /dev/null\n+++ applied/Endpoint/blog\n");
        assertThat(text.lines().skip(3)).allMatch(line -> line.startsWith("+"));
    }
}
