package io.tidepool.control;

import io.tidepool.api.agent.ComputeMetrics;
import io.tidepool.event.EventLog;
import io.tidepool.event.FleetEvents;
import io.tidepool.store.Store;
import io.tidepool.timeline.TimelineFeed;
import io.tidepool.timeline.Timelines;
import java.time.InstantSource;
import java.util.Optional;
import java.util.function.Function;

/**
 * What the leader remembers of the fleet's recent past, for describe and the console: each
 * endpoint's timeline (soft state of the term) and the events of every object (kept in the store).
 * Fed by the fleet cache's changes and the agents' samples; it decides nothing.
 */
final class FleetHistory implements AutoCloseable {
    private final Timelines timelines = new Timelines(Timelines.Settings.DEFAULT);
    private final EventLog events;
    private final TimelineFeed timelineFeed;
    private final FleetCache cache;

    /** @param restartExplanation the restart controller's latest word on an endpoint, if any */
    FleetHistory(Store store, FleetCache cache, InstantSource clock, Function<String, Optional<String>> restartExplanation) {
        this.cache = cache;
        events = new EventLog(store, clock, EventLog.Settings.DEFAULT);
        timelineFeed = new TimelineFeed(timelines, clock, restartExplanation, events::record);
        FleetEvents fleetEvents = new FleetEvents(events::record, clock);
        cache.endpoints.addHandler(timelineFeed::endpointChanged);
        cache.endpoints.addHandler(fleetEvents::endpointChanged);
        cache.hosts.addHandler(fleetEvents::hostChanged);
        cache.computes.addHandler(timelineFeed::computeChanged);
        cache.migrations.addHandler(timelineFeed::migrationChanged);
    }

    /** An agent's sample of a compute, drawn on its endpoint's timeline. */
    void sampled(String compute, ComputeMetrics sample) {
        cache.computes.get(compute).ifPresent(c -> timelineFeed.sampled(c, sample));
    }

    Timelines timelines() {
        return timelines;
    }

    EventLog events() {
        return events;
    }

    void start() {
        events.start();
    }

    @Override
    public void close() {
        events.close();
    }
}
