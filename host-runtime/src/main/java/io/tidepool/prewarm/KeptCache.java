package io.tidepool.prewarm;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A compute's cache as it was just before its memory shrank, to load back when memory grows again:
 * shrinking the memory limit evicts the page cache of its cgroup, while shared buffers stay (shared
 * memory cannot be reclaimed without swap). Decisions only; reading and loading are at the edges
 * ({@link HotPagesQuery}, {@link PageCacheResidency}, {@link PrewarmLoad}).
 *
 * @param buffered what was in shared buffers, the hottest pages: loaded back first, into buffers
 * @param cached   what was in the page cache, in the order it is loaded back: the relations
 *                 with pages in shared buffers (in use now) first, then the rest in file order
 */
public record KeptCache(HotPages buffered, List<PageRange> cached) {
    /** At most this many ranges are kept per compute: about a MiB, however scattered its cache. */
    public static final int MAX_RANGES = 16_384;
    /** Loads go in pieces of at most 8 MiB, so that a cancelled load stops within one of them. */
    public static final long CHUNK_BLOCKS = 1024;
    public static final KeptCache NONE = new KeptCache(HotPages.NONE, List.of());

    public KeptCache {
        cached = List.copyOf(cached);
        if (buffered.ranges().size() + cached.size() > MAX_RANGES) {
            throw new IllegalArgumentException((buffered.ranges().size() + cached.size()) + " ranges kept, at most "
                    + MAX_RANGES + " allowed");
        }
    }

    /** The cache to keep, bounded to {@link #MAX_RANGES} ranges: the buffers' first, then the page cache's by priority. */
    public static KeptCache of(HotPages buffered, List<PageRange> cached) {
        List<PageRange> keptBuffered = buffered.ranges().subList(0, Math.min(MAX_RANGES, buffered.ranges().size()));
        Set<List<Object>> inUse = new HashSet<>();
        buffered.ranges().forEach(range -> inUse.add(relation(range)));
        List<PageRange> ordered = new ArrayList<>(cached.size());
        cached.stream().filter(range -> inUse.contains(relation(range))).forEach(ordered::add);
        cached.stream().filter(range -> !inUse.contains(relation(range))).forEach(ordered::add);
        int room = MAX_RANGES - keptBuffered.size();
        return new KeptCache(new HotPages(keptBuffered), ordered.subList(0, Math.min(room, ordered.size())));
    }

    public long blocks() {
        return buffered.blocks() + cached.stream().mapToLong(PageRange::blocks).sum();
    }

    /**
     * How much cache a compute can take back: its new limit less the share the guest keeps free
     * ({@code marginShare}) and less what it holds that cannot be reclaimed (memory of its own,
     * shared buffers), so that loading never pushes out what it uses now.
     */
    public static long roomBytes(long limitBytes, long unreclaimableBytes, double marginShare) {
        return Math.max(0, (long) (limitBytes * (1 - marginShare)) - unreclaimableBytes);
    }

    /**
     * What to load for {@code roomBytes} of cache: the kept ranges in order while they fit (the last
     * one cut to fit), shared buffers' pages back into buffers and the page cache's into the page
     * cache, in pieces of at most {@link #CHUNK_BLOCKS}.
     */
    public List<PrewarmPlan.Load> loadsFor(long roomBytes) {
        long room = Math.max(0, roomBytes) / RelationFile.BLOCK_BYTES;
        long intoBuffers = Math.min(room, buffered.blocks());
        List<PageRange> fitting = new ArrayList<>();
        for (PageRange range : concat(buffered.ranges(), cached)) {
            if (room == 0) {
                break;
            }
            fitting.add(range.blocks() <= room ? range : range.withLastBlock(range.firstBlock() + room - 1));
            room -= fitting.get(fitting.size() - 1).blocks();
        }
        List<PrewarmPlan.Load> chunks = new ArrayList<>();
        for (PrewarmPlan.Load load : PrewarmPlan.decide(new HotPages(fitting), intoBuffers)) {
            PageRange range = load.range();
            for (long first = range.firstBlock(); first <= range.lastBlock(); first += CHUNK_BLOCKS) {
                long last = Math.min(range.lastBlock(), first + CHUNK_BLOCKS - 1);
                chunks.add(new PrewarmPlan.Load(new PageRange(range.database(), range.tablespace(), range.relfilenode(),
                        range.fork(), first, last), load.mode()));
            }
        }
        return chunks;
    }

    private static List<Object> relation(PageRange range) {
        return List.of(range.database(), range.tablespace(), range.relfilenode());
    }

    private static List<PageRange> concat(List<PageRange> first, List<PageRange> second) {
        List<PageRange> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }
}
