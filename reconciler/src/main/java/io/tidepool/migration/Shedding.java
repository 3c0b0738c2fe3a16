package io.tidepool.migration;

import io.tidepool.api.quantity.Cu;
import io.tidepool.capacity.HostRoom;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Which computes a host above its watermark sheds: of the movable computes, the set of at most
 * {@code maxMoves} whose holds bring the host to or below its watermark and whose moves copy the
 * least memory; ties go to fewer computes, then to the set whose names come first. Not simply the
 * oldest (Neon's rule) nor the biggest: a move's cost is the memory it copies, so two small idle
 * computes may beat one busy one.
 *
 * <p>Exact, by dynamic programming over quarter steps: {@code best[k][q]} is the least memory that
 * frees at least {@code q} quarters with exactly {@code k} computes, so the work is computes x moves
 * x quarters short. When {@code maxMoves} cannot bind (a minimal set never has more members than the
 * smallest computes that stay short, plus one) the move dimension goes and the work is computes x
 * quarters short. Measured warm on the 2-core build machine, 300 computes: a shortfall of 39
 * quarters with 2 moves allowed (the usual case) about 0.4 ms; a full 1,000 CU host at a 0.5
 * watermark (2,000 quarters short) about 8 ms with no binding limit, 1 ms with 10 moves allowed,
 * and 70-150 ms with 100 moves allowed, the worst shape (the planner passes its few free slots).
 */
public final class Shedding {
    private static final long UNREACHABLE = Long.MAX_VALUE;
    private static final int NAMES_SHOWN = 4;

    private Shedding() {
    }

    public static SheddingChoice choose(HostRoom host, List<MigrationCandidate> candidates, int maxMoves) {
        String level = host.host() + " at " + host.allocated() + "/" + host.capacity() + " CU, watermark " + host.watermark();
        long shortfall = host.allocated().quarters() - host.watermark().quarters();
        if (shortfall <= 0) {
            return nothing(SheddingChoice.Outcome.AT_OR_BELOW_WATERMARK, level + ": at or below it, nothing to move");
        }
        List<MigrationCandidate> movable = candidates.stream()
                .filter(c -> c.movable() && !c.holds().isZero())
                .sorted(Comparator.comparing(MigrationCandidate::compute).thenComparing(MigrationCandidate::endpoint))
                .toList();
        if (movable.isEmpty()) {
            return nothing(SheddingChoice.Outcome.NOTHING_MOVABLE, level + ": none of its " + candidates.size()
                    + " computes can move (restarting, moving or not running)");
        }
        if (maxMoves <= 0) {
            return nothing(SheddingChoice.Outcome.NO_MOVES_ALLOWED, level + ": no migration slot left");
        }
        long allMovable = movable.stream().mapToLong(c -> c.holds().quarters()).sum();
        long mostWithinLimit = movable.stream().mapToLong(c -> c.holds().quarters())
                .boxed().sorted(Comparator.reverseOrder()).limit(maxMoves).mapToLong(Long::longValue).sum();
        long target = Math.min(shortfall, mostWithinLimit);
        List<MigrationCandidate> moves = cheapestCover(movable, target, maxMoves);
        Cu frees = Cu.ofQuarters(moves.stream().mapToLong(c -> c.holds().quarters()).sum());
        SheddingChoice.Outcome outcome = mostWithinLimit >= shortfall ? SheddingChoice.Outcome.REACHES_WATERMARK
                : allMovable < shortfall && maxMoves >= movable.size() ? SheddingChoice.Outcome.SHORT_OF_MOVABLE
                : SheddingChoice.Outcome.SHORT_BY_MOVE_LIMIT;
        return new SheddingChoice(moves, frees, outcome, explain(host, level, moves, frees, outcome, maxMoves));
    }

    /**
     * The cheapest set of at most {@code maxMoves} items whose holds sum to at least {@code target}
     * quarters, which the caller has checked exists. Items are processed last name first so that
     * rebuilding from the first name takes each item whenever an optimal set with it exists.
     */
    private static List<MigrationCandidate> cheapestCover(List<MigrationCandidate> items, long target, int maxMoves) {
        int quarters = Math.toIntExact(target);
        int bound = minimalSetBound(items, target);
        if (maxMoves >= bound) {
            return cheapestCoverAnySize(items, quarters);
        }
        int moves = Math.min(maxMoves, items.size());
        int width = quarters + 1;
        if ((long) (moves + 1) * width > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("too many quarter steps to shed exactly: " + target + " with up to " + moves + " moves");
        }
        long[][] best = new long[moves + 1][width];
        for (long[] row : best) {
            Arrays.fill(row, UNREACHABLE);
        }
        best[0][0] = 0;
        long[][] taken = new long[items.size()][];
        for (int i = items.size() - 1; i >= 0; i--) {
            taken[i] = new long[(int) (((long) (moves + 1) * width + 63) / 64)];
            relax(best, taken[i], items.get(i), Math.min(moves, items.size() - i), width);
        }
        int count = 0;
        for (int k = 1; k <= moves; k++) {
            if (best[k][quarters] < UNREACHABLE && (count == 0 || best[k][quarters] < best[count][quarters])) {
                count = k;
            }
        }
        List<MigrationCandidate> chosen = new ArrayList<>();
        int q = quarters;
        for (int i = 0; i < items.size() && count > 0; i++) {
            if (isSet(taken[i], count * width + q)) {
                chosen.add(items.get(i));
                q = (int) Math.max(0, q - items.get(i).holds().quarters());
                count--;
            }
        }
        return chosen;
    }

    /**
     * The same when the move limit cannot bind (no optimal set is that large): one row, ordered by
     * memory then count, so the work is computes x quarters instead of computes x moves x quarters.
     */
    private static List<MigrationCandidate> cheapestCoverAnySize(List<MigrationCandidate> items, int quarters) {
        int width = quarters + 1;
        long[] memory = new long[width];
        int[] count = new int[width];
        Arrays.fill(memory, UNREACHABLE);
        memory[0] = 0;
        long[][] taken = new long[items.size()][];
        for (int i = items.size() - 1; i >= 0; i--) {
            taken[i] = new long[(width + 63) / 64];
            long holds = items.get(i).holds().quarters();
            long cost = items.get(i).memoryBytes();
            // Descending q reads each smaller q before this item updates it: every set takes the item at most once.
            for (int q = quarters; q >= 0; q--) {
                int from = (int) Math.max(0, q - holds);
                if (memory[from] == UNREACHABLE) {
                    continue;
                }
                long withItem = memory[from] + cost;
                int withCount = count[from] + 1;
                if (withItem < memory[q] || withItem == memory[q] && withCount <= count[q]) {
                    memory[q] = withItem;
                    count[q] = withCount;
                    taken[i][q >>> 6] |= 1L << (q & 63);
                }
            }
        }
        List<MigrationCandidate> chosen = new ArrayList<>();
        int q = quarters;
        for (int i = 0; i < items.size() && q > 0; i++) {
            if (isSet(taken[i], q)) {
                chosen.add(items.get(i));
                q = (int) Math.max(0, q - items.get(i).holds().quarters());
            }
        }
        return chosen;
    }

    /** Adds one item to every set of fewer than {@code reachable} items, keeping ties with the item in. */
    private static void relax(long[][] best, long[] taken, MigrationCandidate item, int reachable, int width) {
        long holds = item.holds().quarters();
        for (int k = reachable; k >= 1; k--) {
            long[] fewer = best[k - 1];
            long[] row = best[k];
            for (int q = 0; q < width; q++) {
                long before = fewer[(int) Math.max(0, q - holds)];
                if (before == UNREACHABLE) {
                    continue;
                }
                long withItem = before + item.memoryBytes();
                if (withItem <= row[q]) {
                    row[q] = withItem;
                    taken[(k * width + q) >>> 6] |= 1L << ((k * width + q) & 63);
                }
            }
        }
    }

    /** A minimal set (no member can go) has at most one more member than the smallest items that stay short. */
    private static int minimalSetBound(List<MigrationCandidate> items, long target) {
        long[] ascending = items.stream().mapToLong(c -> c.holds().quarters()).sorted().toArray();
        long sum = 0;
        int count = 0;
        while (count < ascending.length && sum + ascending[count] < target) {
            sum += ascending[count];
            count++;
        }
        return count + 1;
    }

    private static boolean isSet(long[] bits, int index) {
        return (bits[index >>> 6] & (1L << (index & 63))) != 0;
    }

    private static SheddingChoice nothing(SheddingChoice.Outcome outcome, String explanation) {
        return new SheddingChoice(List.of(), Cu.ZERO, outcome, explanation);
    }

    private static String explain(HostRoom host, String level, List<MigrationCandidate> moves, Cu frees,
                                  SheddingChoice.Outcome outcome, int maxMoves) {
        String after = lessOf(host.allocated(), frees) + "/" + host.capacity() + " CU after";
        String moving = "moving " + names(moves) + " frees " + frees + " CU (" + after + ")";
        Cu shortfall = host.allocated().minus(host.watermark());
        return level + switch (outcome) {
            case REACHES_WATERMARK -> ": " + moving + ", the least memory to copy";
            case SHORT_BY_MOVE_LIMIT -> ": " + maxMoves + (maxMoves == 1 ? " move" : " moves") + " cannot free "
                    + shortfall + " CU; " + moving + ", the most they can, copying " + memory(sum(moves));
            default -> ": its movable computes free only " + frees + " of " + shortfall + " CU; " + moving;
        };
    }

    /** What is left of {@code from} without {@code taken}, never below zero: candidates may claim more than the ledger shows. */
    static Cu lessOf(Cu from, Cu taken) {
        return Cu.ofQuarters(Math.max(0, from.quarters() - taken.quarters()));
    }

    private static String names(List<MigrationCandidate> moves) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < Math.min(NAMES_SHOWN, moves.size()); i++) {
            out.append(i == 0 ? "" : ", ").append(moves.get(i).compute()).append(" (")
                    .append(memory(moves.get(i).memoryBytes())).append(')');
        }
        if (moves.size() > NAMES_SHOWN) {
            out.append(" and ").append(moves.size() - NAMES_SHOWN).append(" more");
        }
        return out.toString();
    }

    private static long sum(List<MigrationCandidate> moves) {
        return moves.stream().mapToLong(MigrationCandidate::memoryBytes).sum();
    }

    /** Memory as an operator reads it: 2 GiB, 1.5 GiB, 512 MiB. */
    static String memory(long bytes) {
        String[] units = {"GiB", "MiB", "KiB"};
        int[] shifts = {30, 20, 10};
        for (int i = 0; i < units.length; i++) {
            if (bytes >= 1L << shifts[i]) {
                BigDecimal value = BigDecimal.valueOf(bytes).divide(BigDecimal.valueOf(1L << shifts[i]), 1, RoundingMode.HALF_UP);
                return value.stripTrailingZeros().toPlainString() + " " + units[i];
            }
        }
        return String.format(Locale.ROOT, "%d bytes", bytes);
    }
}
