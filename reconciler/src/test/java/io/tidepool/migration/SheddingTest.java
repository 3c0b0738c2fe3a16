package io.tidepool.migration;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidepool.api.quantity.Bytes;
import io.tidepool.api.quantity.Cu;
import io.tidepool.capacity.HostRoom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class SheddingTest {
    private static final HostRoom HOST_7 = new HostRoom("host-7", cu("64"), cu("58"), cu("57.5"), true);

    @Test
    void movesTheComputeWhoseMoveCopiesLeast() {
        SheddingChoice choice = Shedding.choose(HOST_7, List.of(
                candidate("busy-1", "2", 6), candidate("shop-3", "2", 2), candidate("big-2", "8", 3)), 2);

        assertThat(choice.moves()).extracting(MigrationCandidate::compute).containsExactly("shop-3");
        assertThat(choice.outcome()).isEqualTo(SheddingChoice.Outcome.REACHES_WATERMARK);
        assertThat(choice.explanation()).isEqualTo("host-7 at 58/64 CU, watermark 57.5: moving shop-3 (2 GiB) frees 2 CU"
                + " (56/64 CU after), the least memory to copy");
    }

    @Test
    void prefersTwoIdleComputesToOneBusyOne() {
        HostRoom host = new HostRoom("h", cu("64"), cu("61"), cu("57.5"), true);

        SheddingChoice choice = Shedding.choose(host, List.of(
                candidate("busy", "4", 10), candidate("idle-a", "2", 1), candidate("idle-b", "2", 1.5)), 2);

        assertThat(choice.moves()).extracting(MigrationCandidate::compute).containsExactly("idle-a", "idle-b");
        assertThat(choice.frees()).isEqualTo(cu("4"));
        assertThat(choice.memoryBytes()).isEqualTo(Bytes.ofMebibytes(2560).value());
    }

    @Test
    void onATieInMemoryMovesFewerComputesThenTheFirstNames() {
        HostRoom host = new HostRoom("h", cu("16"), cu("15"), cu("14"), true);

        SheddingChoice fewer = Shedding.choose(host, List.of(
                candidate("a", "0.5", 1), candidate("b", "0.5", 1), candidate("c", "1", 2)), 3);
        SheddingChoice byName = Shedding.choose(host, List.of(
                candidate("z", "1", 2), candidate("y", "1", 2), candidate("x", "1", 2)), 3);

        assertThat(fewer.moves()).extracting(MigrationCandidate::compute).containsExactly("c");
        assertThat(byName.moves()).extracting(MigrationCandidate::compute).containsExactly("x");
    }

    @Test
    void neverMovesAComputeThatIsRestartingMovingOrNotRunning() {
        MigrationCandidate restarting = new MigrationCandidate("cheap", "cheap", cu("2"), 1, false);

        SheddingChoice choice = Shedding.choose(HOST_7, List.of(restarting, candidate("dear", "2", 8)), 2);

        assertThat(choice.moves()).extracting(MigrationCandidate::compute).containsExactly("dear");
        assertThat(MigrationCandidate.movable(true, false, false)).isTrue();
        assertThat(MigrationCandidate.movable(true, true, false)).isFalse();
        assertThat(MigrationCandidate.movable(true, false, true)).isFalse();
        assertThat(MigrationCandidate.movable(false, false, false)).isFalse();
    }

    @Test
    void countsAllOfAComputesMemoryWhenItsUseIsUnknown() {
        assertThat(MigrationCandidate.of("c", "e", cu("1.5"), null, true).memoryBytes()).isEqualTo(Bytes.ofGibibytes(6).value());
        assertThat(MigrationCandidate.of("c", "e", cu("1.5"), Bytes.ofGibibytes(1), true).memoryBytes())
                .isEqualTo(Bytes.ofGibibytes(1).value());
    }

    @Test
    void whenTheMoveLimitFallsShortFreesTheMostItCanAndSaysSo() {
        HostRoom host = new HostRoom("h", cu("64"), cu("64"), cu("57.5"), true);

        SheddingChoice choice = Shedding.choose(host, List.of(
                candidate("a", "2", 1), candidate("b", "3", 4), candidate("c", "3", 2), candidate("d", "1", 1)), 2);

        assertThat(choice.moves()).extracting(MigrationCandidate::compute).containsExactly("b", "c");
        assertThat(choice.outcome()).isEqualTo(SheddingChoice.Outcome.SHORT_BY_MOVE_LIMIT);
        assertThat(choice.explanation()).isEqualTo("h at 64/64 CU, watermark 57.5: 2 moves cannot free 6.5 CU;"
                + " moving b (4 GiB), c (2 GiB) frees 6 CU (58/64 CU after), the most they can, copying 6 GiB");
    }

    @Test
    void saysWhenNothingCanMoveOrNothingNeedsTo() {
        HostRoom calm = new HostRoom("calm", cu("64"), cu("50"), cu("57.5"), true);

        SheddingChoice stuck = Shedding.choose(HOST_7, List.of(new MigrationCandidate("c", "e", cu("2"), 1, false)), 2);
        SheddingChoice noSlots = Shedding.choose(HOST_7, List.of(candidate("c", "2", 1)), 0);
        SheddingChoice nothing = Shedding.choose(calm, List.of(candidate("c", "2", 1)), 2);
        SheddingChoice tooLittle = Shedding.choose(HOST_7, List.of(candidate("c", "0.25", 1)), 2);

        assertThat(stuck.outcome()).isEqualTo(SheddingChoice.Outcome.NOTHING_MOVABLE);
        assertThat(stuck.explanation()).endsWith("none of its 1 computes can move (restarting, moving or not running)");
        assertThat(noSlots.outcome()).isEqualTo(SheddingChoice.Outcome.NO_MOVES_ALLOWED);
        assertThat(nothing.outcome()).isEqualTo(SheddingChoice.Outcome.AT_OR_BELOW_WATERMARK);
        assertThat(List.of(stuck, noSlots, nothing)).allSatisfy(c -> assertThat(c.moves()).isEmpty());
        assertThat(tooLittle.outcome()).isEqualTo(SheddingChoice.Outcome.SHORT_OF_MOVABLE);
        assertThat(tooLittle.explanation()).contains("its movable computes free only 0.25 of 0.5 CU");
    }

    @Test
    void solvesTheLargestHostExactlyAndBeatsTheGreedyChoice() {
        // 1,000 CU at a 0.5 watermark, full, 300 computes, no move limit: the worst size this meets.
        Random random = new Random(7);
        List<MigrationCandidate> candidates = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            Cu holds = Cu.ofQuarters(1 + random.nextInt(24));
            candidates.add(new MigrationCandidate("c-" + i, "e-" + i, holds,
                    (long) (holds.memory().value() * (0.1 + 0.9 * random.nextDouble())), true));
        }
        HostRoom host = new HostRoom("huge", cu("1000"), cu("1000"), cu("500"), true);

        SheddingChoice choice = Shedding.choose(host, candidates, 300);

        assertThat(choice.reachesWatermark()).isTrue();
        assertThat(choice.memoryBytes()).isLessThanOrEqualTo(greedyByMemoryPerQuarter(candidates, 2000));
    }

    @Property(tries = 400)
    void choosesTheCheapestSetThatReachesTheWatermarkOrElseFreesTheMost(@ForAll("hosts") HostRoom host,
            @ForAll("candidates") List<MigrationCandidate> candidates, @ForAll @IntRange(max = 5) int maxMoves) {
        SheddingChoice choice = Shedding.choose(host, candidates, maxMoves);

        List<MigrationCandidate> best = bruteForce(host, candidates, maxMoves);
        assertThat(choice.moves()).containsExactlyElementsOf(best);
        assertThat(choice.reachesWatermark())
                .isEqualTo(host.allocated().quarters() - quarters(best) <= host.watermark().quarters());
    }

    @Property(tries = 300)
    void movesOnlyMovableComputesAndNeverMoreThanAllowed(@ForAll("hosts") HostRoom host,
            @ForAll("candidates") List<MigrationCandidate> candidates, @ForAll @IntRange(max = 5) int maxMoves) {
        SheddingChoice choice = Shedding.choose(host, candidates, maxMoves);

        assertThat(choice.moves()).hasSizeLessThanOrEqualTo(maxMoves).allMatch(MigrationCandidate::movable);
        assertThat(candidates).containsAll(choice.moves());
        assertThat(choice.frees().quarters()).isEqualTo(quarters(choice.moves()));
        assertThat(choice.explanation()).startsWith(host.host() + " at ");
    }

    @Property(tries = 200)
    void theChoiceDoesNotDependOnTheOrderOfTheCandidates(@ForAll("hosts") HostRoom host,
            @ForAll("candidates") List<MigrationCandidate> candidates, @ForAll @IntRange(max = 5) int maxMoves,
            @ForAll long seed) {
        List<MigrationCandidate> shuffled = new ArrayList<>(candidates);
        java.util.Collections.shuffle(shuffled, new Random(seed));

        assertThat(Shedding.choose(host, shuffled, maxMoves)).isEqualTo(Shedding.choose(host, candidates, maxMoves));
    }

    /** Every subset: those that reach the watermark if any, else those that free the most; then least memory, fewest, first names. */
    static List<MigrationCandidate> bruteForce(HostRoom host, List<MigrationCandidate> candidates, int maxMoves) {
        List<MigrationCandidate> movable = candidates.stream().filter(c -> c.movable() && !c.holds().isZero())
                .sorted(Comparator.comparing(MigrationCandidate::compute)).toList();
        long shortfall = host.allocated().quarters() - host.watermark().quarters();
        if (shortfall <= 0) {
            return List.of();
        }
        List<MigrationCandidate> best = null;
        for (int mask = 1; mask < 1 << movable.size(); mask++) {
            if (Integer.bitCount(mask) > maxMoves) {
                continue;
            }
            List<MigrationCandidate> subset = new ArrayList<>();
            for (int i = 0; i < movable.size(); i++) {
                if ((mask & 1 << i) != 0) {
                    subset.add(movable.get(i));
                }
            }
            if (best == null || better(subset, best, shortfall)) {
                best = subset;
            }
        }
        return best == null ? List.of() : best;
    }

    private static boolean better(List<MigrationCandidate> a, List<MigrationCandidate> b, long shortfall) {
        long freedA = Math.min(shortfall, quarters(a));
        long freedB = Math.min(shortfall, quarters(b));
        if (freedA != freedB) {
            return freedA > freedB;
        }
        long memoryA = a.stream().mapToLong(MigrationCandidate::memoryBytes).sum();
        long memoryB = b.stream().mapToLong(MigrationCandidate::memoryBytes).sum();
        if (memoryA != memoryB) {
            return memoryA < memoryB;
        }
        if (a.size() != b.size()) {
            return a.size() < b.size();
        }
        for (int i = 0; i < a.size(); i++) {
            int byName = a.get(i).compute().compareTo(b.get(i).compute());
            if (byName != 0) {
                return byName < 0;
            }
        }
        return false;
    }

    private static long greedyByMemoryPerQuarter(List<MigrationCandidate> candidates, long shortfall) {
        long freed = 0;
        long memory = 0;
        for (MigrationCandidate c : candidates.stream().sorted(Comparator.comparingDouble(
                (MigrationCandidate c) -> (double) c.memoryBytes() / c.holds().quarters())).toList()) {
            if (freed >= shortfall) {
                break;
            }
            freed += c.holds().quarters();
            memory += c.memoryBytes();
        }
        return memory;
    }

    static long quarters(List<MigrationCandidate> moves) {
        return moves.stream().mapToLong(c -> c.holds().quarters()).sum();
    }

    @Provide
    Arbitrary<HostRoom> hosts() {
        return Combinators.combine(Arbitraries.integers().between(16, 256), Arbitraries.doubles().between(0.5, 1.0),
                Arbitraries.doubles().between(0.3, 1.0)).as((capacity, watermark, fill) -> new HostRoom("h",
                Cu.ofQuarters(capacity), Cu.ofQuarters((long) (capacity * fill)),
                Cu.ofQuarters((long) Math.floor(capacity * watermark)), true));
    }

    @Provide
    Arbitrary<List<MigrationCandidate>> candidates() {
        Arbitrary<MigrationCandidate> one = Combinators.combine(Arbitraries.integers().between(0, 32),
                Arbitraries.integers().between(0, 64), Arbitraries.integers().between(0, 9))
                .as((holds, memoryQuarterGib, flags) -> new MigrationCandidate("", "", Cu.ofQuarters(holds),
                        memoryQuarterGib * (Cu.MEMORY_BYTES_PER_CU / 16), flags < 8));
        return one.list().ofMaxSize(10).map(list -> {
            List<MigrationCandidate> named = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                MigrationCandidate c = list.get(i);
                named.add(new MigrationCandidate("c-" + i, "e-" + i, c.holds(), c.memoryBytes(), c.movable()));
            }
            return named;
        });
    }

    private static MigrationCandidate candidate(String name, String holds, double memoryGib) {
        return new MigrationCandidate(name, name, cu(holds), (long) (memoryGib * (1L << 30)), true);
    }

    static Cu cu(String text) {
        return Cu.parse(text);
    }
}
