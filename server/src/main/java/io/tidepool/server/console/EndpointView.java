package io.tidepool.server.console;

import io.tidepool.api.resource.Endpoint;
import io.tidepool.api.resource.Migration;
import io.tidepool.control.ControlLoop;
import io.tidepool.restart.RestartDecision;
import io.tidepool.timeline.TimelineView;
import io.tidepool.timeline.Timelines;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * One endpoint's page: the object, its computes, its latest migrations, and its timeline from the
 * leader's memory (on another node, an empty one and a note saying which node has it).
 */
public record EndpointView(Endpoint object, List<ComputeRow> computes, List<Migration> migrations,
                           TimelineView timeline, String restartNote, String note) {
    static final int MIGRATIONS_SHOWN = 10;

    static EndpointView of(Endpoint endpoint, ConsoleIndex index, ControlLoop leader, String notLeadingNote) {
        List<Migration> migrations = index.migrations().stream()
                .filter(m -> endpoint.name().equals(m.spec().endpoint()))
                .sorted(Comparator.comparing((Migration m) -> m.status() == null || m.status().startedAt() == null
                        ? Instant.MIN : m.status().startedAt()).reversed())
                .limit(MIGRATIONS_SHOWN)
                .toList();
        long step = Timelines.Settings.DEFAULT.step().toSeconds();
        TimelineView timeline = leader == null ? TimelineView.empty(endpoint.name(), step)
                : leader.timelines().view(endpoint.name()).orElse(TimelineView.empty(endpoint.name(), step));
        String restartNote = leader == null ? null
                : leader.restarter().lastDecision(endpoint.name())
                .filter(d -> !(d instanceof RestartDecision.Nothing)).map(RestartDecision::explanation).orElse(null);
        return new EndpointView(endpoint, index.computesOfEndpoint(endpoint.name()), migrations, timeline, restartNote,
                leader == null ? notLeadingNote : null);
    }
}
