package io.tidepool.prewarm;

import java.util.ArrayList;
import java.util.List;

/**
 * What to load where: the first ranges of a list into shared buffers while they fit (pg_prewarm's
 * 'buffer' mode; loading more only evicts what was just loaded), the rest into the page cache
 * ('read' mode), which is the compute's larger cache since its cgroup charges it there.
 */
public final class PrewarmPlan {

    public enum Mode { buffer, read }

    public record Load(PageRange range, Mode mode) {
    }

    private PrewarmPlan() {
    }

    /**
     * @param bufferBlocks how many blocks shared buffers hold; ranges that would overflow them are
     *                     split, the part that fits loaded into buffers
     */
    public static List<Load> decide(HotPages pages, long bufferBlocks) {
        List<Load> loads = new ArrayList<>();
        long room = Math.max(0, bufferBlocks);
        for (PageRange range : pages.ranges()) {
            if (range.blocks() <= room) {
                loads.add(new Load(range, Mode.buffer));
                room -= range.blocks();
            } else if (room > 0) {
                long split = range.firstBlock() + room;
                loads.add(new Load(new PageRange(range.database(), range.tablespace(), range.relfilenode(), range.fork(),
                        range.firstBlock(), split - 1), Mode.buffer));
                loads.add(new Load(new PageRange(range.database(), range.tablespace(), range.relfilenode(), range.fork(),
                        split, range.lastBlock()), Mode.read));
                room = 0;
            } else {
                loads.add(new Load(range, Mode.read));
            }
        }
        return loads;
    }
}
