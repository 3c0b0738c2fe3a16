package io.tidepool.migration;

import static io.tidepool.migration.SheddingTest.cu;
import static org.assertj.core.api.Assertions.assertThat;

import io.tidepool.api.quantity.Cu;
import io.tidepool.capacity.HostRoom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class MigrationPlannerTest {
    private static final MigrationLimits TWO_PER_HOST = new MigrationLimits(2, 10);

    @Test
    void movesTheCheapestComputeToTheFullestHostThatStaysBelowItsWatermark() {
        MigrationPlan plan = MigrationPlanner.plan(new MigrationInput(
                List.of(room("src", "59"), room("roomy", "40"), room("snug", "55")),
                Map.of("src", List.of(candidate("shop-1", "2", 1), candidate("blog-1", "4", 3))),
                List.of(), TWO_PER_HOST));

        assertThat(plan.moves()).extracting(MigrationPlan.Move::compute, MigrationPlan.Move::source,
                MigrationPlan.Move::target, MigrationPlan.Move::cu)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("shop-1", "src", "snug", cu("2")));
        assertThat(plan.moves().get(0).explanation()).isEqualTo("src at 59/64 CU, watermark 57.5: moving shop-1 (1 GiB)"
                + " frees 2 CU (57/64 CU after), the least memory to copy; shop-1 to snug (57/64 CU after, watermark 57.5)");
        assertThat(plan.overWatermark()).isEmpty();
    }

    @Test
    void choosesAgainWithoutAComputeThatNoHostCanTakeBelowItsWatermark() {
        MigrationPlan plan = MigrationPlanner.plan(new MigrationInput(
                List.of(room("src", "59"), room("t1", "56.5"), room("t2", "56.5")),
                Map.of("src", List.of(candidate("big", "4", 1), candidate("s1", "1", 2), candidate("s2", "1", 2))),
                List.of(), TWO_PER_HOST));

        assertThat(plan.moves()).extracting(MigrationPlan.Move::compute).containsExactlyInAnyOrder("s1", "s2");
        assertThat(plan.moves()).extracting(MigrationPlan.Move::target).containsExactlyInAnyOrder("t1", "t2");
        assertThat(plan.overWatermark()).isEmpty();
    }

    @Test
    void leavesAHostOverItsWatermarkRatherThanPushAnotherOneOver() {
        MigrationPlan plan = MigrationPlanner.plan(new MigrationInput(
                List.of(room("src", "59"), room("busy", "56")),
                Map.of("src", List.of(candidate("shop-1", "2", 1))), List.of(), TWO_PER_HOST));

        assertThat(plan.moves()).isEmpty();
        assertThat(plan.overWatermark()).containsExactly(new MigrationPlan.OverWatermark("src", MigrationPlan.Reason.NO_TARGET,
                "src at 59/64 CU once moves finish, watermark 57.5: no host can take shop-1 (2 CU) and stay at or below"
                        + " its watermark"));
    }

    @Test
    void countsMigrationsInFlightAgainstTheHostsSlots() {
        MigrationPlan plan = MigrationPlanner.plan(new MigrationInput(
                List.of(room("src", "64"), room("empty", "0")),
                Map.of("src", List.of(candidate("a", "1", 1), candidate("b", "1", 1), candidate("c", "1", 1))),
                List.of(new MigrationInFlight("old", "src", "empty", cu("1"))), TWO_PER_HOST));

        assertThat(plan.moves()).hasSize(1);
        assertThat(plan.overWatermark()).extracting(MigrationPlan.OverWatermark::reason)
                .containsExactly(MigrationPlan.Reason.NO_SLOTS);
        assertThat(plan.overWatermark().get(0).explanation())
                .isEqualTo("src at 62/64 CU once moves finish, watermark 57.5: all 2 of the host's migration slots are in use");
    }

    @Test
    void theMostOverHostGetsTheCellsLastSlot() {
        MigrationPlan plan = MigrationPlanner.plan(new MigrationInput(
                List.of(room("a", "58"), room("b", "60"), room("empty", "0")),
                Map.of("a", List.of(candidate("a-1", "1", 1)), "b", List.of(candidate("b-1", "4", 1))),
                List.of(), new MigrationLimits(2, 1)));

        assertThat(plan.moves()).extracting(MigrationPlan.Move::compute).containsExactly("b-1");
        assertThat(plan.overWatermark()).extracting(MigrationPlan.OverWatermark::host, MigrationPlan.OverWatermark::reason)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("a", MigrationPlan.Reason.NO_SLOTS));
    }

    @Test
    void aHostWhoseMigrationsInFlightBringItBelowItsWatermarkShedsNothingMore() {
        MigrationPlan plan = MigrationPlanner.plan(new MigrationInput(
                List.of(room("src", "60"), room("dst", "3")),
                Map.of("src", List.of(candidate("a", "1", 1))),
                List.of(new MigrationInFlight("leaving", "src", "dst", cu("3"))), TWO_PER_HOST));

        assertThat(plan.moves()).isEmpty();
        assertThat(plan.overWatermark()).isEmpty();
    }

    @Test
    void saysWhenNothingOnAHostCanMove() {
        MigrationPlan plan = MigrationPlanner.plan(new MigrationInput(
                List.of(room("src", "60"), room("empty", "0")),
                Map.of("src", List.of(new MigrationCandidate("r", "r", cu("4"), 1, false))), List.of(), TWO_PER_HOST));

        assertThat(plan.overWatermark()).extracting(MigrationPlan.OverWatermark::reason)
                .containsExactly(MigrationPlan.Reason.NOTHING_MOVABLE);
    }

    @Property(tries = 300)
    void neverExceedsTheCapsNorFillsATargetAboveItsWatermark(@ForAll("cells") MigrationInput cell) {
        MigrationPlan plan = MigrationPlanner.plan(cell);

        Map<String, Integer> outbound = new HashMap<>();
        cell.inFlight().forEach(m -> outbound.merge(m.source(), 1, Integer::sum));
        Map<String, Integer> planned = new HashMap<>();
        Map<String, Long> incoming = new HashMap<>();
        for (MigrationPlan.Move move : plan.moves()) {
            planned.merge(move.source(), 1, Integer::sum);
            incoming.merge(move.target(), move.cu().quarters(), Long::sum);
            assertThat(move.target()).isNotEqualTo(move.source());
        }
        planned.forEach((host, count) ->
                assertThat(count + outbound.getOrDefault(host, 0)).isLessThanOrEqualTo(cell.limits().perHost()));
        if (!plan.moves().isEmpty()) {
            assertThat(plan.moves().size() + cell.inFlight().size()).isLessThanOrEqualTo(cell.limits().perCell());
        }
        for (HostRoom host : cell.hosts()) {
            if (incoming.containsKey(host.host())) {
                long after = host.allocated().quarters() + incoming.get(host.host());
                assertThat(host.schedulable()).isTrue();
                assertThat(after).isLessThanOrEqualTo(host.watermark().quarters()).isLessThanOrEqualTo(host.capacity().quarters());
                assertThat(planned).doesNotContainKey(host.host());
            }
        }
    }

    @Property(tries = 300)
    void movesOnlyMovableComputesOnceEachAndReportsEveryHostItLeavesOver(@ForAll("cells") MigrationInput cell) {
        MigrationPlan plan = MigrationPlanner.plan(cell);

        Map<String, Long> leaving = new HashMap<>();
        cell.inFlight().forEach(m -> leaving.merge(m.source(), m.cu().quarters(), Long::sum));
        assertThat(plan.moves()).extracting(MigrationPlan.Move::compute).doesNotHaveDuplicates();
        for (MigrationPlan.Move move : plan.moves()) {
            assertThat(cell.candidatesByHost().get(move.source())).anySatisfy(c -> {
                assertThat(c.compute()).isEqualTo(move.compute());
                assertThat(c.movable()).isTrue();
                assertThat(c.holds()).isEqualTo(move.cu());
            });
            leaving.merge(move.source(), move.cu().quarters(), Long::sum);
        }
        for (HostRoom host : cell.hosts()) {
            boolean overOnceDone = host.allocated().quarters() - leaving.getOrDefault(host.host(), 0L) > host.watermark().quarters();
            assertThat(plan.overWatermark().stream().anyMatch(o -> o.host().equals(host.host()))).isEqualTo(overOnceDone);
        }
    }

    @Property(tries = 200)
    void thePlanDoesNotDependOnTheOrderOfItsInputs(@ForAll("cells") MigrationInput cell, @ForAll long seed) {
        Random random = new Random(seed);
        List<HostRoom> hosts = new ArrayList<>(cell.hosts());
        Collections.shuffle(hosts, random);
        Map<String, List<MigrationCandidate>> candidates = new LinkedHashMap<>();
        cell.candidatesByHost().forEach((host, list) -> {
            List<MigrationCandidate> shuffled = new ArrayList<>(list);
            Collections.shuffle(shuffled, random);
            candidates.put(host, shuffled);
        });

        MigrationPlan shuffled = MigrationPlanner.plan(new MigrationInput(hosts, candidates, cell.inFlight(), cell.limits()));

        assertThat(shuffled).isEqualTo(MigrationPlanner.plan(cell));
    }

    @Provide
    Arbitrary<MigrationInput> cells() {
        return Arbitraries.longs().map(seed -> randomCell(new Random(seed)));
    }

    private static MigrationInput randomCell(Random random) {
        int hostCount = 2 + random.nextInt(7);
        List<HostRoom> hosts = new ArrayList<>();
        Map<String, List<MigrationCandidate>> candidates = new HashMap<>();
        int computes = 0;
        for (int h = 0; h < hostCount; h++) {
            String name = "h" + h;
            long capacity = 4L * (16 + random.nextInt(49));
            long watermark = (long) Math.floor(capacity * (0.6 + 0.4 * random.nextDouble()));
            List<MigrationCandidate> onHost = new ArrayList<>();
            long allocated = 0;
            long target = (long) (capacity * random.nextDouble());
            while (allocated < target) {
                long holds = Math.min(1 + random.nextInt(24), capacity - allocated);
                onHost.add(new MigrationCandidate("c" + computes, "e" + computes++, Cu.ofQuarters(holds),
                        (holds << 28) / (1 + random.nextInt(4)), random.nextInt(6) > 0));
                allocated += holds;
            }
            hosts.add(new HostRoom(name, Cu.ofQuarters(capacity), Cu.ofQuarters(allocated), Cu.ofQuarters(watermark),
                    random.nextInt(8) > 0));
            candidates.put(name, onHost);
        }
        List<MigrationInFlight> inFlight = new ArrayList<>();
        for (int i = random.nextInt(4); i > 0; i--) {
            String source = "h" + random.nextInt(hostCount);
            inFlight.add(new MigrationInFlight("old" + i, source, "elsewhere", Cu.ofQuarters(1 + random.nextInt(8))));
        }
        return new MigrationInput(hosts, candidates, inFlight, new MigrationLimits(random.nextInt(4), random.nextInt(7)));
    }

    private static HostRoom room(String name, String allocated) {
        return new HostRoom(name, cu("64"), cu(allocated), cu("57.5"), true);
    }

    private static MigrationCandidate candidate(String name, String holds, double memoryGib) {
        return new MigrationCandidate(name, name, cu(holds), (long) (memoryGib * (1L << 30)), true);
    }
}
