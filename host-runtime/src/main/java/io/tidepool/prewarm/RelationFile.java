package io.tidepool.prewarm;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One segment file of a relation fork in a data directory: {@code base/DB/NODE[_FORK][.SEG]}, or
 * {@code pg_tblspc/TS/PG_VERSION_CATALOG/DB/NODE[_FORK][.SEG]} in another tablespace. Shared
 * catalogs ({@code global/}) and temporary relations ({@code tBACKEND_NODE}) are not among them:
 * the first are tiny, the second die with their session.
 */
public record RelationFile(long databaseOid, long tablespace, long relfilenode, Fork fork, long segment) {
    /** pg_default: what base/ holds. */
    public static final long DEFAULT_TABLESPACE = 1663;
    public static final int BLOCK_BYTES = 8192;
    /** Postgres' default RELSEG_SIZE: 1 GiB segment files of 8 KiB blocks (Debian's build and most others). */
    public static final long BLOCKS_PER_SEGMENT = (1L << 30) / BLOCK_BYTES;
    private static final Pattern NAME = Pattern.compile("([1-9][0-9]{0,9})(?:_(fsm|vm|init))?(?:\\.([1-9][0-9]{0,5}))?");
    private static final Pattern NUMBER = Pattern.compile("[1-9][0-9]{0,9}");

    public RelationFile {
        if (databaseOid <= 0 || tablespace <= 0 || relfilenode <= 0 || segment < 0) {
            throw new IllegalArgumentException("no relation file for database " + databaseOid + ", tablespace " + tablespace
                    + ", file node " + relfilenode + ", segment " + segment);
        }
    }

    /** The relation file at {@code relative} (to the data directory), or empty for any other file. */
    public static Optional<RelationFile> parse(Path relative) {
        List<String> parts = new ArrayList<>();
        relative.forEach(part -> parts.add(part.toString()));
        long tablespace;
        if (parts.size() == 3 && parts.get(0).equals("base")) {
            tablespace = DEFAULT_TABLESPACE;
        } else if (parts.size() == 5 && parts.get(0).equals("pg_tblspc") && NUMBER.matcher(parts.get(1)).matches()
                && parts.get(2).startsWith("PG_")) {
            tablespace = Long.parseLong(parts.get(1));
        } else {
            return Optional.empty();
        }
        String database = parts.get(parts.size() - 2);
        Matcher name = NAME.matcher(parts.get(parts.size() - 1));
        if (!NUMBER.matcher(database).matches() || !name.matches()) {
            return Optional.empty();
        }
        Fork fork = name.group(2) == null ? Fork.main : Fork.valueOf(name.group(2));
        long segment = name.group(3) == null ? 0 : Long.parseLong(name.group(3));
        return Optional.of(new RelationFile(Long.parseLong(database), tablespace, Long.parseLong(name.group(1)), fork, segment));
    }

    /** Where this file lies under a data directory whose tablespace {@code tablespace} links to {@code versionDir}. */
    public Path relativePath(String versionDir) {
        String name = relfilenode + (fork == Fork.main ? "" : "_" + fork) + (segment == 0 ? "" : "." + segment);
        if (tablespace == DEFAULT_TABLESPACE) {
            return Path.of("base", Long.toString(databaseOid), name);
        }
        return Path.of("pg_tblspc", Long.toString(tablespace), versionDir, Long.toString(databaseOid), name);
    }

    /**
     * The blocks of this file that are in the page cache, as ranges of the relation fork: a block
     * counts when any of its pages is resident (Postgres reads a block whole, so reading it again
     * brings the rest).
     *
     * @param residentPages one byte per page of the file, its lowest bit set for a resident page (what mincore(2) fills)
     * @param pageBytes     the kernel's page size; it divides a block, or a block divides it
     */
    public List<PageRange> residentRanges(String database, byte[] residentPages, int pageBytes) {
        long blocks = blocks(residentPages, pageBytes);
        long first = segment * BLOCKS_PER_SEGMENT;
        List<PageRange> ranges = new ArrayList<>();
        long runStart = -1;
        for (long block = 0; block <= blocks; block++) {
            boolean resident = block < blocks && resident(residentPages, block, pageBytes);
            if (resident && runStart < 0) {
                runStart = block;
            } else if (!resident && runStart >= 0) {
                ranges.add(new PageRange(database, tablespace, relfilenode, fork, first + runStart, first + block - 1));
                runStart = -1;
            }
        }
        return ranges;
    }

    /** How many blocks have a resident page, counted as {@link #residentRanges} does. */
    public static long residentBlocks(byte[] residentPages, int pageBytes) {
        long resident = 0;
        for (long block = 0, blocks = blocks(residentPages, pageBytes); block < blocks; block++) {
            resident += resident(residentPages, block, pageBytes) ? 1 : 0;
        }
        return resident;
    }

    private static long blocks(byte[] residentPages, int pageBytes) {
        if (pageBytes <= 0 || (BLOCK_BYTES % pageBytes != 0 && pageBytes % BLOCK_BYTES != 0)) {
            throw new IllegalArgumentException("a page of " + pageBytes + " bytes does not tile 8 KiB blocks");
        }
        return (long) residentPages.length * pageBytes / BLOCK_BYTES;
    }

    private static boolean resident(byte[] pages, long block, int pageBytes) {
        long firstByte = block * BLOCK_BYTES;
        for (long page = firstByte / pageBytes; page * pageBytes < firstByte + BLOCK_BYTES; page++) {
            if ((pages[(int) page] & 1) != 0) {
                return true;
            }
        }
        return false;
    }
}
