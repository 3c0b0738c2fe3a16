package io.tidepool.migration;

import io.tidepool.api.quantity.Cu;
import io.tidepool.capacity.HostRoom;
import io.tidepool.placement.BestFit;
import io.tidepool.placement.PlacementPlan;
import io.tidepool.placement.PlacementRequest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The migration decision for one cell, pure: each host above its watermark (most over first) sheds
 * the computes {@link Shedding} chooses within its free slots, and each goes where {@link BestFit}
 * places it among the other schedulable hosts, but only where the target stays at or below its own
 * watermark, so a move never makes another host shed (no ping-pong).
 *
 * <p>Ledgers follow the control loop: a target's goes up as soon as its move is planned, a
 * source's goes down only when the move finishes. A source therefore keeps its full ledger as a
 * target (its room is never counted twice), while its shortfall counts the CU already leaving. When
 * no target takes a chosen compute, the host chooses again without it.
 */
public final class MigrationPlanner {

    private MigrationPlanner() {
    }

    public static MigrationPlan plan(MigrationInput input) {
        Map<String, HostRoom> rooms = new TreeMap<>();
        input.hosts().forEach(h -> rooms.put(h.host(), h));
        Map<String, Long> leaving = new HashMap<>();
        Map<String, Integer> outbound = new HashMap<>();
        for (MigrationInFlight m : input.inFlight()) {
            leaving.merge(m.source(), m.cu().quarters(), Long::sum);
            outbound.merge(m.source(), 1, Integer::sum);
        }
        List<HostRoom> sources = input.hosts().stream()
                .map(h -> shedding(h, leaving.getOrDefault(h.host(), 0L)))
                .filter(HostRoom::aboveWatermark)
                .sorted(Comparator.comparingLong((HostRoom h) -> h.watermark().quarters() - h.allocated().quarters())
                        .thenComparing(HostRoom::host))
                .toList();
        Cell cell = new Cell(rooms, input.limits().perCell() - input.inFlight().size());
        List<MigrationPlan.Move> moves = new ArrayList<>();
        List<MigrationPlan.OverWatermark> over = new ArrayList<>();
        for (HostRoom source : sources) {
            int hostSlots = input.limits().perHost() - outbound.getOrDefault(source.host(), 0);
            List<MigrationCandidate> candidates = input.candidatesByHost().getOrDefault(source.host(), List.of());
            shed(source, candidates, hostSlots, cell, input.limits(), moves).ifPresent(over::add);
        }
        return new MigrationPlan(moves, over);
    }

    /** The host as shedding sees it: without what its migrations in flight are taking away already. */
    private static HostRoom shedding(HostRoom host, long leavingQuarters) {
        return host.withAllocated(Shedding.lessOf(host.allocated(), Cu.ofQuarters(leavingQuarters)));
    }

    /** Plans the moves off one host; says why, if it stays above its watermark. */
    private static Optional<MigrationPlan.OverWatermark> shed(HostRoom source, List<MigrationCandidate> candidates,
                                                              int hostSlots, Cell cell, MigrationLimits limits,
                                                              List<MigrationPlan.Move> moves) {
        HostRoom remaining = source;
        Set<String> planned = new HashSet<>();
        List<MigrationCandidate> noTarget = new ArrayList<>();
        SheddingChoice choice = null;
        while (remaining.aboveWatermark() && Math.min(hostSlots - planned.size(), cell.slots) > 0) {
            List<MigrationCandidate> left = candidates.stream()
                    .filter(c -> !planned.contains(c.compute()) && !noTarget.contains(c)).toList();
            choice = Shedding.choose(remaining, left, Math.min(hostSlots - planned.size(), cell.slots));
            MigrationCandidate unplaced = null;
            for (MigrationCandidate move : largestFirst(choice.moves())) {
                Optional<HostRoom> target = cell.target(source.host(), move);
                if (target.isEmpty()) {
                    unplaced = move;
                    break;
                }
                cell.take(target.get(), move.holds());
                planned.add(move.compute());
                remaining = remaining.withAllocated(Shedding.lessOf(remaining.allocated(), move.holds()));
                moves.add(new MigrationPlan.Move(move.compute(), move.endpoint(), source.host(), target.get().host(),
                        move.holds(), choice.explanation() + "; " + move.compute() + " to " + target.get().host() + " ("
                        + cell.rooms.get(target.get().host()).allocated() + "/" + target.get().capacity()
                        + " CU after, watermark " + target.get().watermark() + ")"));
            }
            if (unplaced == null) {
                break;
            }
            noTarget.add(unplaced);
        }
        if (!remaining.aboveWatermark()) {
            return Optional.empty();
        }
        return Optional.of(leftOver(source, remaining, choice, noTarget, hostSlots - planned.size(), cell.slots, limits));
    }

    private static MigrationPlan.OverWatermark leftOver(HostRoom source, HostRoom remaining, SheddingChoice choice,
                                                        List<MigrationCandidate> noTarget, int hostSlots, int cellSlots,
                                                        MigrationLimits limits) {
        String level = source.host() + " at " + remaining.allocated() + "/" + source.capacity() + " CU once "
                + "moves finish, watermark " + source.watermark() + ": ";
        if (hostSlots <= 0 || cellSlots <= 0) {
            String which = hostSlots <= 0 ? "all " + limits.perHost() + " of the host's migration slots"
                    : "all " + limits.perCell() + " of the cell's migration slots";
            return new MigrationPlan.OverWatermark(source.host(), MigrationPlan.Reason.NO_SLOTS,
                    level + which + " are in use");
        }
        if (!noTarget.isEmpty()) {
            MigrationCandidate first = noTarget.get(0);
            return new MigrationPlan.OverWatermark(source.host(), MigrationPlan.Reason.NO_TARGET, level + "no host can take "
                    + first.compute() + " (" + first.holds() + " CU) and stay at or below its watermark"
                    + (noTarget.size() > 1 ? ", nor " + (noTarget.size() - 1) + " more" : ""));
        }
        MigrationPlan.Reason reason = choice.outcome() == SheddingChoice.Outcome.NOTHING_MOVABLE
                ? MigrationPlan.Reason.NOTHING_MOVABLE : MigrationPlan.Reason.TOO_LITTLE_MOVABLE;
        return new MigrationPlan.OverWatermark(source.host(), reason, choice.explanation());
    }

    /** Big computes first: they have the fewest targets, so they choose before small ones fill the gaps. */
    private static List<MigrationCandidate> largestFirst(List<MigrationCandidate> moves) {
        return moves.stream().sorted(Comparator.comparing(MigrationCandidate::holds).reversed()
                .thenComparing(MigrationCandidate::compute)).toList();
    }

    /** The cell's hosts as the plan fills them, and the cell's migration slots left. */
    private static final class Cell {
        private final Map<String, HostRoom> rooms;
        private int slots;

        Cell(Map<String, HostRoom> rooms, int slots) {
            this.rooms = rooms;
            this.slots = slots;
        }

        Optional<HostRoom> target(String source, MigrationCandidate move) {
            Cu cu = move.holds();
            List<HostRoom> others = rooms.values().stream().filter(h -> !h.host().equals(source)).toList();
            PlacementPlan placed = BestFit.plan(List.of(new PlacementRequest(move.endpoint(), cu)), others);
            return placed.assignments().stream()
                    .filter(a -> a.fit() == PlacementPlan.Fit.BELOW_WATERMARK)
                    .map(a -> rooms.get(a.host()))
                    // BestFit's rule already; checked again because a target's safety is this decision's promise.
                    .filter(h -> h.freeBelowWatermark().compareTo(cu) >= 0 && h.free().compareTo(cu) >= 0)
                    .findFirst();
        }

        void take(HostRoom target, Cu cu) {
            rooms.put(target.host(), target.withAllocated(target.allocated().plus(cu)));
            slots--;
        }
    }
}
