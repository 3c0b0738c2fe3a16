package io.tidepool.event;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidepool.api.resource.Event;
import io.tidepool.api.resource.Kind;
import io.tidepool.reconcile.ManualClock;
import io.tidepool.registry.ResourceRegistry;
import io.tidepool.store.memory.InMemoryStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventLogTest {
    private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
    private final ManualClock clock = new ManualClock(T0);
    private final InMemoryStore store = new InMemoryStore();
    private final ResourceRegistry registry = new ResourceRegistry(store);

    @Test
    void storesANoteAsAnEventAndCountsTheSameThingHappeningAgain() {
        EventLog log = new EventLog(store, clock, EventLog.Settings.DEFAULT);
        log.record(EventNote.normal("Endpoint/shop", "Upscaled", "upscale 1 -> 2 CU: load", T0));
        log.flush();
        log.record(EventNote.normal("Endpoint/shop", "Upscaled", "upscale 1 -> 2 CU: load", T0.plusSeconds(5)));
        log.record(EventNote.warning("Host/h1", "HostNotReady", "no heartbeat for 30s", T0.plusSeconds(6)));
        log.flush();

        List<Event> events = events();
        assertThat(events).hasSize(2);
        Event upscale = events.stream().filter(e -> e.spec().reason().equals("Upscaled")).findFirst().orElseThrow();
        assertThat(upscale.spec().involved()).isEqualTo("Endpoint/shop");
        assertThat(upscale.status()).isEqualTo(new Event.Status(T0, T0.plusSeconds(5), 2));
        assertThat(upscale.name()).startsWith("shop.");
    }

    @Test
    void anObjectMayRecordABurstAndThenOneEventPerRefill() {
        EventLog log = new EventLog(store, clock, new EventLog.Settings(Duration.ofHours(1), 100, 100, 3, Duration.ofSeconds(30),
                Duration.ofMillis(500)));
        for (int i = 0; i < 5; i++) {
            log.record(EventNote.normal("Endpoint/shop", "Upscaled", "upscale " + i, T0));
        }
        log.record(EventNote.normal("Endpoint/blog", "Upscaled", "upscale", T0));
        log.record(EventNote.normal("Endpoint/shop", "Upscaled", "upscale later", T0.plusSeconds(30)));
        log.flush();

        assertThat(events().stream().filter(e -> e.spec().involved().equals("Endpoint/shop"))).hasSize(4);
        assertThat(events().stream().filter(e -> e.spec().involved().equals("Endpoint/blog"))).hasSize(1);
        assertThat(log.dropped()).isEqualTo(2);
    }

    @Test
    void expiredEventsAndTheOldestBeyondTheMostKeptAreDeleted() {
        EventLog log = new EventLog(store, clock, new EventLog.Settings(Duration.ofHours(1), 2, 100, 10, Duration.ofSeconds(30),
                Duration.ofMillis(500)));
        log.record(EventNote.normal("Endpoint/old", "Upscaled", "long ago", T0));
        log.flush();
        clock.advance(Duration.ofMinutes(61));
        Instant now = clock.instant();
        for (String name : List.of("a", "b", "c")) {
            log.record(EventNote.normal("Endpoint/" + name, "Upscaled", "just now", now.plusSeconds(name.charAt(0))));
        }
        log.flush();

        assertThat(events()).extracting(e -> e.spec().involved()).containsExactlyInAnyOrder("Endpoint/b", "Endpoint/c");
    }

    private List<Event> events() {
        return registry.listAll(Kind.EVENT).stream().map(Event.class::cast).toList();
    }
}
