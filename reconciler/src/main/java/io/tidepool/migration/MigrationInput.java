package io.tidepool.migration;

import io.tidepool.capacity.HostRoom;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the migration decision sees of one cell.
 *
 * @param hosts            every host of the cell, as its ledger stands
 * @param candidatesByHost the computes on each host, movable or not
 * @param inFlight         the cell's migrations under way
 */
public record MigrationInput(List<HostRoom> hosts, Map<String, List<MigrationCandidate>> candidatesByHost,
                             List<MigrationInFlight> inFlight, MigrationLimits limits) {
    public MigrationInput {
        hosts = List.copyOf(hosts);
        candidatesByHost = Map.copyOf(candidatesByHost);
        inFlight = List.copyOf(inFlight);
        Objects.requireNonNull(limits, "limits");
    }
}
