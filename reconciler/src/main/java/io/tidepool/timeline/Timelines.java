package io.tidepool.timeline;

import io.tidepool.api.agent.ComputeMetrics;
import io.tidepool.api.quantity.Cu;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Every endpoint's recent history on the leader: allocated CU, load and memory in fixed buckets,
 * and the markers of what happened to it. Soft state of one term of leadership, like the
 * telemetry it is fed from: metrics never go through the store, and a new leader starts empty.
 * Written by host agents' reports and the fleet cache's thread, read by the API's; each endpoint's
 * history has its own lock, so a reader holds up no writer of another endpoint.
 */
public final class Timelines {
    /**
     * @param step              the width of one bucket
     * @param buckets           how many buckets each endpoint keeps (step x buckets is how far back it sees)
     * @param decisionsKept     how many scaling decisions each endpoint keeps
     * @param otherMarkersKept  how many other markers (migrations, restarts, suspends) each endpoint keeps
     */
    public record Settings(Duration step, int buckets, int decisionsKept, int otherMarkersKept) {
        /**
         * An hour in 10 s buckets, the last 8 scaling decisions and 4 other markers: 2.4 KB per
         * endpoint without markers, 4.5 KB with every slot used (docs/BENCHMARKS.md).
         */
        public static final Settings DEFAULT = new Settings(Duration.ofSeconds(10), 360, 8, 4);

        public Settings {
            if (step.toSeconds() < 1 || buckets < 1 || decisionsKept < 1 || otherMarkersKept < 1) {
                throw new IllegalArgumentException("a timeline needs a step of at least 1 s and room for a bucket and"
                        + " a marker of each kind, got " + step + ", " + buckets + ", " + decisionsKept + ", " + otherMarkersKept);
            }
        }
    }

    private final Settings settings;
    private final Map<String, History> histories = new ConcurrentHashMap<>();
    private final Map<String, List<Runnable>> listeners = new ConcurrentHashMap<>();

    public Timelines(Settings settings) {
        this.settings = settings;
    }

    public Settings settings() {
        return settings;
    }

    /** Records a metrics sample of the endpoint's primary compute. */
    public void sample(String endpoint, ComputeMetrics metrics) {
        History history = historyOf(endpoint);
        synchronized (history) {
            history.series.sample(metrics.at().getEpochSecond(), metrics.load1(), metrics.memoryUsedBytes());
        }
        changed(endpoint);
    }

    /** Records the CU allocated to the endpoint from {@code at} on (zero while it has no compute). */
    public void allocated(String endpoint, Instant at, Cu cu) {
        History history = historyOf(endpoint);
        synchronized (history) {
            history.series.allocated(at.getEpochSecond(), cu.quarters());
        }
        changed(endpoint);
    }

    /** Adds a marker, unless the endpoint already holds the same one. */
    public void mark(String endpoint, Marker marker) {
        History history = historyOf(endpoint);
        boolean added;
        synchronized (history) {
            added = (marker.type() == Marker.Type.scaling ? history.decisions : history.others).add(marker);
        }
        if (added) {
            changed(endpoint);
        }
    }

    /** The endpoint's timeline; empty when nothing was recorded for it in this term. */
    public Optional<TimelineView> view(String endpoint) {
        History history = histories.get(endpoint);
        if (history == null) {
            return Optional.empty();
        }
        synchronized (history) {
            Series.Columns columns = history.series.columns();
            List<Marker> markers = new ArrayList<>(history.decisions.list());
            markers.addAll(history.others.list());
            markers.sort((a, b) -> a.at().compareTo(b.at()));
            return Optional.of(new TimelineView(endpoint, history.series.stepSeconds(), columns.startEpochSeconds(),
                    columns.cu(), columns.load1(), columns.memoryUsedBytes(), List.copyOf(markers)));
        }
    }

    /** Drops a deleted endpoint's history. */
    public void forget(String endpoint) {
        histories.remove(endpoint);
        changed(endpoint);
    }

    public int size() {
        return histories.size();
    }

    /**
     * Calls {@code onChange} after each change to the endpoint's timeline, on the writer's thread
     * (it must return at once); closing the returned handle stops it.
     */
    public AutoCloseable listen(String endpoint, Runnable onChange) {
        listeners.computeIfAbsent(endpoint, e -> new CopyOnWriteArrayList<>()).add(onChange);
        return () -> listeners.computeIfPresent(endpoint, (e, list) -> {
            list.remove(onChange);
            return list.isEmpty() ? null : list;
        });
    }

    private void changed(String endpoint) {
        List<Runnable> waiting = listeners.get(endpoint);
        if (waiting != null) {
            waiting.forEach(Runnable::run);
        }
    }

    private History historyOf(String endpoint) {
        return histories.computeIfAbsent(endpoint, e -> new History(settings));
    }

    private static final class History {
        final Series series;
        final Markers decisions;
        final Markers others;

        History(Settings settings) {
            series = new Series(settings.step().toSeconds(), settings.buckets());
            decisions = new Markers(settings.decisionsKept());
            others = new Markers(settings.otherMarkersKept());
        }
    }
}
