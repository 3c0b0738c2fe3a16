package io.tidepool.event;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidepool.api.quantity.Bytes;
import io.tidepool.api.quantity.MilliCpu;
import io.tidepool.api.resource.Condition;
import io.tidepool.api.resource.Event;
import io.tidepool.api.resource.Host;
import io.tidepool.api.resource.HostShape;
import io.tidepool.api.resource.ObjectMeta;
import io.tidepool.control.Conditions;
import io.tidepool.reconcile.ManualClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FleetEventsTest {
    private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
    private final List<EventNote> notes = new ArrayList<>();
    private final FleetEvents events = new FleetEvents(notes::add, new ManualClock(T0));

    @Test
    void tellsAHostThatStoppedHeartbeatingAndCameBackOnceEach() {
        Host ready = host(Condition.Status.True, "heartbeats arrive");
        Host lost = host(Condition.Status.False, "no heartbeat for 30s");

        events.hostChanged(null, ready);
        events.hostChanged(ready, ready);
        events.hostChanged(ready, lost);
        events.hostChanged(lost, lost);
        events.hostChanged(lost, ready);

        assertThat(notes).extracting(EventNote::reason, EventNote::type).containsExactly(
                org.assertj.core.groups.Tuple.tuple("HostReady", Event.Type.Normal),
                org.assertj.core.groups.Tuple.tuple("HostNotReady", Event.Type.Warning),
                org.assertj.core.groups.Tuple.tuple("HostReady", Event.Type.Normal));
        assertThat(notes.get(1).message()).isEqualTo("no heartbeat for 30s");
    }

    private static Host host(Condition.Status status, String message) {
        return new Host(ObjectMeta.named("h1"), new Host.Spec("local", new HostShape(MilliCpu.ofCpus(8), Bytes.ofGibibytes(32)), false),
                new Host.Status(status == Condition.Status.True, null, null, null,
                        List.of(new Condition(Conditions.READY, status, "Heartbeats", message, T0))));
    }
}
