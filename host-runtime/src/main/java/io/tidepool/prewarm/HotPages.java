package io.tidepool.prewarm;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The pages hot in a compute, as ranges to load elsewhere (into a standby before it takes over, or
 * back after memory grows). Kept as text, one range a line, so that it can be written to a file
 * and read back by another process: {@code database TAB tablespace TAB relfilenode TAB fork TAB
 * first TAB last}.
 */
public record HotPages(List<PageRange> ranges) {
    /** 128 MiB of shared buffers in 8 KiB blocks is 16,384; a list is never longer than a few such. */
    public static final int MAX_BLOCKS = 1 << 17;

    public HotPages {
        ranges = List.copyOf(ranges);
    }

    public static final HotPages NONE = new HotPages(List.of());

    public long blocks() {
        return ranges.stream().mapToLong(PageRange::blocks).sum();
    }

    /**
     * The hottest of {@code blocks}, at most {@code maxBlocks} of them (by usage count, ties by
     * position so the result does not depend on the input's order), as ranges of consecutive blocks.
     */
    public static HotPages of(List<HotBlock> blocks, int maxBlocks) {
        if (maxBlocks < 0) {
            throw new IllegalArgumentException("maxBlocks " + maxBlocks + " is negative");
        }
        Comparator<HotBlock> position = Comparator.comparing(HotBlock::database).thenComparingLong(HotBlock::tablespace)
                .thenComparingLong(HotBlock::relfilenode).thenComparing(HotBlock::fork).thenComparingLong(HotBlock::block);
        List<HotBlock> kept = blocks.stream()
                .sorted(Comparator.comparingInt(HotBlock::usageCount).reversed().thenComparing(position))
                .distinct()
                .limit(maxBlocks)
                .sorted(position)
                .toList();
        List<PageRange> ranges = new ArrayList<>();
        HotBlock previous = null;
        for (HotBlock block : kept) {
            int last = ranges.size() - 1;
            if (previous != null && previous.sameFile(block) && block.block() == previous.block() + 1) {
                ranges.set(last, ranges.get(last).withLastBlock(block.block()));
            } else if (previous == null || !(previous.sameFile(block) && previous.block() == block.block())) {
                ranges.add(new PageRange(block.database(), block.tablespace(), block.relfilenode(), block.fork(),
                        block.block(), block.block()));
            }
            previous = block;
        }
        return new HotPages(ranges);
    }

    public String toText() {
        StringBuilder text = new StringBuilder();
        for (PageRange r : ranges) {
            text.append(r.database()).append('\t').append(r.tablespace()).append('\t').append(r.relfilenode()).append('\t')
                    .append(r.fork()).append('\t').append(r.firstBlock()).append('\t').append(r.lastBlock()).append('\n');
        }
        return text.toString();
    }

    /** Reads what {@link #toText} wrote; a malformed line fails naming it. */
    public static HotPages parse(String text) {
        List<PageRange> ranges = new ArrayList<>();
        String[] lines = text.split("\n");
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            String[] fields = lines[i].split("\t", -1);
            try {
                if (fields.length != 6) {
                    throw new IllegalArgumentException("6 tab-separated fields expected, found " + fields.length);
                }
                ranges.add(new PageRange(fields[0], Long.parseLong(fields[1]), Long.parseLong(fields[2]),
                        Fork.valueOf(fields[3]), Long.parseLong(fields[4]), Long.parseLong(fields[5])));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("hot page list line " + (i + 1) + " (" + lines[i] + "): " + e.getMessage(), e);
            }
        }
        return new HotPages(ranges);
    }
}
