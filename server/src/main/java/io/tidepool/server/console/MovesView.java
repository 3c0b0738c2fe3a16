package io.tidepool.server.console;

import io.tidepool.api.resource.Migration;
import io.tidepool.control.ControlLoop;
import io.tidepool.restart.RestartDecision;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * The moves page: migrations under way and the latest finished ones, and planned restarts under way
 * (an endpoint with a replacement started for a restart), each with why.
 */
public record MovesView(List<Migration> active, List<Migration> finished, List<RestartCard> restarts, String note) {
    static final int FINISHED_SHOWN = 100;
    private static final Comparator<Migration> NEWEST_FIRST = Comparator
            .comparing((Migration m) -> m.status() == null || m.status().startedAt() == null ? Instant.MIN : m.status().startedAt())
            .reversed().thenComparing(Migration::name);

    /** @param explanation what the restart controller last said of the endpoint (on the leader only) */
    public record RestartCard(String endpoint, ComputeRow replacement, List<ComputeRow> computes, String explanation) {
    }

    static MovesView of(ConsoleIndex index, ControlLoop leader, String notLeadingNote) {
        List<Migration> all = index.migrations().stream().sorted(NEWEST_FIRST).toList();
        List<Migration> active = all.stream().filter(MovesView::underWay).toList();
        List<Migration> finished = all.stream().filter(m -> !underWay(m)).limit(FINISHED_SHOWN).toList();
        List<RestartCard> restarts = index.computes().stream()
                .filter(c -> "restart".equals(c.purpose()))
                .sorted(Comparator.comparing(ComputeRow::endpoint))
                .map(c -> new RestartCard(c.endpoint(), c, index.computesOfEndpoint(c.endpoint()),
                        leader == null ? null : leader.restarter().lastDecision(c.endpoint())
                                .map(RestartDecision::explanation).orElse(null)))
                .toList();
        return new MovesView(active, finished, restarts, leader == null ? notLeadingNote : null);
    }

    static boolean underWay(Migration migration) {
        Migration.Phase phase = migration.status() == null ? null : migration.status().phase();
        return phase != Migration.Phase.Succeeded && phase != Migration.Phase.Failed;
    }
}
