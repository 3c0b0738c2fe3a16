package io.tidepool.manifests.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidepool.api.resource.Event;
import io.tidepool.api.resource.Kind;
import io.tidepool.api.resource.ObjectMeta;
import io.tidepool.api.resource.Resource;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResourceTableTest {
    private static final Instant T0 = Instant.parse("2026-12-07T10:00:00.250Z");

    @Test
    void listsEventsAsALogWithTheLatestAtTheBottom() {
        List<Resource> events = List.of(event("shop.b", "Upscaled", T0.plusSeconds(30), 2), event("shop.a", "Placed", T0, 1));

        assertThat(ResourceTable.render(Kind.EVENT, events)).isEqualTo("""
                LAST-SEEN              OBJECT          TYPE     REASON     COUNT   MESSAGE
                2026-12-07T10:00:00Z   Endpoint/shop   Normal   Placed     1       Placed shop
                2026-12-07T10:00:30Z   Endpoint/shop   Normal   Upscaled   2       Upscaled shop
                """);
    }

    private static Event event(String name, String reason, Instant last, int count) {
        return new Event(ObjectMeta.named(name), new Event.Spec("Endpoint/shop", Event.Type.Normal, reason, reason + " shop"),
                new Event.Status(T0, last, count));
    }
}
