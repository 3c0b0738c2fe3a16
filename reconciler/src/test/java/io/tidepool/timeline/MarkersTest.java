package io.tidepool.timeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class MarkersTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void keepsTheNewestAndSkipsTheSameMarkerTwice() {
        Markers markers = new Markers(2);
        assertThat(markers.add(marker(1))).isTrue();
        assertThat(markers.add(marker(1))).isFalse();
        markers.add(marker(2));
        markers.add(marker(3));

        assertThat(markers.list()).extracting(Marker::title).containsExactly("m2", "m3");
    }

    @Test
    void listsInTimeOrderWhenOneArrivesLate() {
        Markers markers = new Markers(4);
        markers.add(marker(5));
        markers.add(marker(2));

        assertThat(markers.list()).extracting(Marker::title).containsExactly("m2", "m5");
    }

    @Property(tries = 200)
    void neverHoldsMoreThanItsCapacityAndKeepsTheLatestAdded(@ForAll @Size(max = 40) List<@IntRange(min = 0, max = 1000) Integer> seconds,
                                                            @ForAll @IntRange(min = 1, max = 8) int capacity) {
        Markers markers = new Markers(capacity);
        List<Integer> distinct = seconds.stream().distinct().toList();
        distinct.forEach(s -> markers.add(marker(s)));

        assertThat(markers.size()).isEqualTo(Math.min(capacity, distinct.size()));
        List<String> latest = distinct.subList(Math.max(0, distinct.size() - capacity), distinct.size()).stream()
                .sorted().map(s -> "m" + s).toList();
        assertThat(markers.list()).extracting(Marker::title).containsExactlyInAnyOrderElementsOf(latest);
    }

    private static Marker marker(int second) {
        return Marker.of(T0.plusSeconds(second), Marker.Type.migration, "m" + second, "why");
    }
}
