package io.tidepool.prewarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class HotPagesTest {

    @Test
    void consecutiveBlocksOfOneForkMakeOneRange() {
        HotPages pages = HotPages.of(List.of(block("shop", 16384, Fork.main, 3, 1), block("shop", 16384, Fork.main, 1, 1),
                block("shop", 16384, Fork.main, 2, 5), block("shop", 16384, Fork.fsm, 4, 1),
                block("shop", 16390, Fork.main, 4, 1)), 100);

        assertThat(pages.ranges()).containsExactly(
                new PageRange("shop", 1663, 16384, Fork.main, 1, 3),
                new PageRange("shop", 1663, 16384, Fork.fsm, 4, 4),
                new PageRange("shop", 1663, 16390, Fork.main, 4, 4));
    }

    @Test
    void aBoundedListKeepsTheHottestBlocks() {
        HotPages pages = HotPages.of(List.of(block("shop", 1, Fork.main, 0, 1), block("shop", 1, Fork.main, 1, 5),
                block("shop", 1, Fork.main, 2, 4), block("shop", 1, Fork.main, 9, 0)), 2);

        assertThat(pages.ranges()).containsExactly(new PageRange("shop", 1663, 1, Fork.main, 1, 2));
    }

    @Test
    void theTextFormIsOneTabSeparatedRangeALine() {
        HotPages pages = new HotPages(List.of(new PageRange("shop", 1663, 16384, Fork.vm, 0, 7)));

        assertThat(pages.toText()).isEqualTo("shop\t1663\t16384\tvm\t0\t7\n");
        assertThat(HotPages.parse(pages.toText())).isEqualTo(pages);
    }

    @Test
    void aMalformedLineFailsNamingIt() {
        assertThatThrownBy(() -> HotPages.parse("shop\t1663\t16384\tmain\t0\t7\nshop\t1663\tx\tmain\t0\t7\n"))
                .hasMessageContaining("line 2");
        assertThatThrownBy(() -> HotPages.parse("shop\t1663\t16384\tmain\t9\t7\n")).hasMessageContaining("not a range");
    }

    @Property
    void theRangesHoldExactlyTheKeptBlocksAndNoMoreThanTheBound(@ForAll("blocks") List<HotBlock> blocks,
                                                                @ForAll @IntRange(min = 0, max = 60) int max) {
        HotPages pages = HotPages.of(blocks, max);

        Set<List<Object>> positions = new HashSet<>();
        for (HotBlock b : blocks) {
            positions.add(List.of(b.database(), b.relfilenode(), b.fork(), b.block()));
        }
        Set<List<Object>> covered = new HashSet<>();
        for (PageRange r : pages.ranges()) {
            for (long block = r.firstBlock(); block <= r.lastBlock(); block++) {
                assertThat(covered.add(List.of(r.database(), r.relfilenode(), r.fork(), block))).as("covered once").isTrue();
            }
        }
        assertThat(positions).containsAll(covered);
        assertThat(covered).hasSize(Math.min(max, positions.size()));
        assertThat(HotPages.parse(pages.toText())).isEqualTo(pages);
    }

    @Property
    void aPlanLoadsEveryBlockOnceAndNoMoreIntoBuffersThanTheyHold(@ForAll("blocks") List<HotBlock> blocks,
                                                                  @ForAll @IntRange(min = 0, max = 40) int bufferBlocks) {
        HotPages pages = HotPages.of(blocks, HotPages.MAX_BLOCKS);

        List<PrewarmPlan.Load> loads = PrewarmPlan.decide(pages, bufferBlocks);

        long buffered = loads.stream().filter(l -> l.mode() == PrewarmPlan.Mode.buffer).mapToLong(l -> l.range().blocks()).sum();
        assertThat(buffered).isEqualTo(Math.min(bufferBlocks, pages.blocks()));
        assertThat(loads.stream().mapToLong(l -> l.range().blocks()).sum()).isEqualTo(pages.blocks());
    }

    @Provide
    Arbitrary<List<HotBlock>> blocks() {
        return Combinators.combine(Arbitraries.of("shop", "blog"), Arbitraries.longs().between(1, 3),
                        Arbitraries.of(Fork.main, Fork.fsm), Arbitraries.longs().between(0, 30), Arbitraries.integers().between(0, 5))
                .as((db, file, fork, block, usage) -> new HotBlock(db, 1663, file, fork, block, usage))
                .list().ofMaxSize(80)
                .map(list -> {
                    // pg_buffercache shows a block at most once.
                    Set<List<Object>> seen = new HashSet<>();
                    List<HotBlock> unique = new ArrayList<>();
                    for (HotBlock b : list) {
                        if (seen.add(List.of(b.database(), b.relfilenode(), b.fork(), b.block()))) {
                            unique.add(b);
                        }
                    }
                    return unique;
                });
    }

    private static HotBlock block(String db, long relfilenode, Fork fork, long block, int usage) {
        return new HotBlock(db, 1663, relfilenode, fork, block, usage);
    }
}
