package io.tidepool.prewarm;

/**
 * One block in a primary's shared buffers, as pg_buffercache shows it. Under physical replication
 * a standby has the same relfilenodes, so the block names the same page there.
 *
 * @param usageCount how often it was used lately (0-5): the hotter are kept when the list is bounded
 */
public record HotBlock(String database, long tablespace, long relfilenode, Fork fork, long block, int usageCount) {
    public HotBlock {
        if (database == null || database.isEmpty()) {
            throw new IllegalArgumentException("a hot block needs its database");
        }
        if (block < 0) {
            throw new IllegalArgumentException("block " + block + " is negative");
        }
    }

    /** Blocks of one relation fork are the same file: consecutive ones make one range. */
    boolean sameFile(HotBlock other) {
        return database.equals(other.database) && tablespace == other.tablespace
                && relfilenode == other.relfilenode && fork == other.fork;
    }
}
