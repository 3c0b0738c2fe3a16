package io.tidepool.prewarm;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidepool.prewarm.PrewarmPlan.Load;
import io.tidepool.prewarm.PrewarmPlan.Mode;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class KeptCacheTest {
    private static final long BLOCK = RelationFile.BLOCK_BYTES;

    @Test
    void whatWasInSharedBuffersGoesBackIntoThemAndThePageCacheIntoThePageCache() {
        PageRange hot = range(10, 0, 9);
        PageRange table = range(20, 0, 99);
        KeptCache kept = KeptCache.of(new HotPages(List.of(hot)), List.of(table));

        assertThat(kept.loadsFor(1 << 30)).containsExactly(new Load(hot, Mode.buffer), new Load(table, Mode.read));
    }

    @Test
    void aSmallerSizeTakesBackThePrefixThatFitsCuttingTheLastRange() {
        KeptCache kept = KeptCache.of(new HotPages(List.of(range(10, 0, 9))), List.of(range(20, 0, 99), range(30, 0, 99)));

        assertThat(kept.loadsFor(50 * BLOCK + BLOCK / 2)).containsExactly(
                new Load(range(10, 0, 9), Mode.buffer), new Load(range(20, 0, 39), Mode.read));
    }

    @Test
    void aSizeTooSmallForTheBuffersPagesLoadsOnlyPartOfThemAndNothingIntoThePageCache() {
        KeptCache kept = KeptCache.of(new HotPages(List.of(range(10, 0, 9))), List.of(range(20, 0, 99)));

        assertThat(kept.loadsFor(4 * BLOCK)).containsExactly(new Load(range(10, 0, 3), Mode.buffer));
        assertThat(kept.loadsFor(0)).isEmpty();
    }

    @Test
    void relationsInUseInSharedBuffersComeFirstInThePageCache() {
        KeptCache kept = KeptCache.of(new HotPages(List.of(range(30, 5, 5))), List.of(range(20, 0, 9), range(30, 0, 9)));

        assertThat(kept.cached()).containsExactly(range(30, 0, 9), range(20, 0, 9));
    }

    @Test
    void largeRangesAreLoadedInPiecesSoThatACancelStopsSoon() {
        KeptCache kept = KeptCache.of(HotPages.NONE, List.of(range(20, 0, 2 * KeptCache.CHUNK_BLOCKS + 9)));

        assertThat(kept.loadsFor(1L << 40)).containsExactly(
                new Load(range(20, 0, KeptCache.CHUNK_BLOCKS - 1), Mode.read),
                new Load(range(20, KeptCache.CHUNK_BLOCKS, 2 * KeptCache.CHUNK_BLOCKS - 1), Mode.read),
                new Load(range(20, 2 * KeptCache.CHUNK_BLOCKS, 2 * KeptCache.CHUNK_BLOCKS + 9), Mode.read));
    }

    @Test
    void aScatteredCacheIsKeptToItsBoundInOrder() {
        List<PageRange> scattered = new ArrayList<>();
        for (int i = 0; i < KeptCache.MAX_RANGES + 10; i++) {
            scattered.add(range(20, 2L * i, 2L * i));
        }

        KeptCache kept = KeptCache.of(new HotPages(List.of(range(10, 0, 0))), scattered);

        assertThat(kept.cached()).hasSize(KeptCache.MAX_RANGES - 1).startsWith(range(20, 0, 0));
    }

    @Test
    void roomIsTheLimitLessTheMarginAndWhatCannotBeReclaimed() {
        assertThat(KeptCache.roomBytes(2L << 30, 300L << 20, 0.1)).isEqualTo((long) ((2L << 30) * 0.9) - (300L << 20));
        assertThat(KeptCache.roomBytes(1L << 30, 1L << 30, 0.1)).isZero();
    }

    @Property(tries = 300)
    void loadsNeverExceedTheRoomAndKeepThePriorityOrder(@ForAll("kept") KeptCache kept,
                                                        @ForAll @LongRange(min = 0, max = 4_000_000) long roomBytes) {
        List<Load> loads = kept.loadsFor(roomBytes);

        long loaded = loads.stream().mapToLong(load -> load.range().blocks()).sum();
        assertThat(loaded).isLessThanOrEqualTo(roomBytes / BLOCK);
        assertThat(loaded).as("fills the room or loads everything").isEqualTo(Math.min(roomBytes / BLOCK, kept.blocks()));
        assertThat(loads).allSatisfy(load -> assertThat(load.range().blocks()).isLessThanOrEqualTo(KeptCache.CHUNK_BLOCKS));
        long intoBuffers = loads.stream().filter(load -> load.mode() == Mode.buffer).mapToLong(load -> load.range().blocks()).sum();
        assertThat(intoBuffers).isEqualTo(Math.min(loaded, kept.buffered().blocks()));
        assertThat(loads.stream().dropWhile(load -> load.mode() == Mode.buffer)).allMatch(load -> load.mode() == Mode.read);
        assertThat(pieces(loads)).isEqualTo(pieces(kept.loadsFor(Long.MAX_VALUE)).subList(0, pieces(loads).size()));
    }

    @Property(tries = 200)
    void moreRoomNeverLoadsLess(@ForAll("kept") KeptCache kept, @ForAll @LongRange(min = 0, max = 2_000_000) long room,
                                @ForAll @LongRange(min = 0, max = 2_000_000) long more) {
        long smaller = kept.loadsFor(room).stream().mapToLong(load -> load.range().blocks()).sum();
        long larger = kept.loadsFor(room + more).stream().mapToLong(load -> load.range().blocks()).sum();

        assertThat(larger).isGreaterThanOrEqualTo(smaller);
    }

    /** Every block as its own entry, in load order: comparing them ignores where ranges were cut. */
    private static List<List<Object>> pieces(List<Load> loads) {
        List<List<Object>> blocks = new ArrayList<>();
        for (Load load : loads) {
            PageRange r = load.range();
            for (long block = r.firstBlock(); block <= r.lastBlock(); block++) {
                blocks.add(List.of(r.relfilenode(), block, load.mode()));
            }
        }
        return blocks;
    }

    @Provide
    Arbitrary<KeptCache> kept() {
        Arbitrary<PageRange> ranges = Combinators.combine(Arbitraries.longs().between(1, 5), Arbitraries.longs().between(0, 2000),
                Arbitraries.longs().between(0, 1500)).as((node, first, length) -> range(node, first, first + length));
        Arbitrary<HotPages> buffered = ranges.list().ofMaxSize(4).map(HotPages::new);
        return Combinators.combine(buffered, ranges.list().ofMaxSize(6)).as(KeptCache::of);
    }

    private static PageRange range(long relfilenode, long first, long last) {
        return new PageRange("shop", 1663, relfilenode, Fork.main, first, last);
    }
}
