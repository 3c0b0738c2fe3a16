package io.tidepool.prewarm;

/** Consecutive blocks of one relation fork, both ends included: one pg_prewarm call. */
public record PageRange(String database, long tablespace, long relfilenode, Fork fork, long firstBlock, long lastBlock) {
    public PageRange {
        if (database == null || database.isEmpty() || database.contains("\t") || database.contains("\n")) {
            throw new IllegalArgumentException("a page range needs a database name without tabs or newlines");
        }
        if (firstBlock < 0 || lastBlock < firstBlock) {
            throw new IllegalArgumentException("blocks " + firstBlock + "-" + lastBlock + " are not a range");
        }
    }

    public long blocks() {
        return lastBlock - firstBlock + 1;
    }

    PageRange withLastBlock(long last) {
        return new PageRange(database, tablespace, relfilenode, fork, firstBlock, last);
    }
}
