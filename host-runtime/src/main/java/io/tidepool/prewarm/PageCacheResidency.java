package io.tidepool.prewarm;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.tidepool.postgres.PostgresServer;
import java.io.IOException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Which blocks of a server's relation files are in the OS page cache, read with mincore(2): each
 * segment file is mapped (address space only, nothing is read or charged) and the kernel fills one
 * byte per page. One call per segment of up to 1 GiB takes a few milliseconds; util-linux
 * {@code fincore} only counts a file's resident pages, and {@code /proc/kpageflags} is not readable
 * here. Runs as the host agent, which may read the compute user's files.
 */
public final class PageCacheResidency {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final int O_RDONLY = 0;
    private static final int PROT_READ = 1;
    private static final int MAP_SHARED = 1;

    /** The few libc calls mincore needs. */
    private interface Libc extends Library {
        Libc C = Native.load("c", Libc.class);

        int open(String path, int flags) throws LastErrorException;

        int close(int fd) throws LastErrorException;

        Pointer mmap(Pointer address, long length, int protection, int flags, int fd, long offset) throws LastErrorException;

        int munmap(Pointer address, long length) throws LastErrorException;

        int mincore(Pointer address, long length, byte[] residentPages) throws LastErrorException;

        int getpagesize();
    }

    private PageCacheResidency() {
    }

    /**
     * The resident blocks of the relation files of each database of the server at {@code port} that
     * takes connections, in file order, at most {@code maxRanges} ranges.
     */
    public static List<PageRange> read(int port, Path dataDir, int maxRanges) throws SQLException, IOException {
        Map<Long, String> databases = databases(port);
        int pageBytes = Libc.C.getpagesize();
        List<PageRange> ranges = new ArrayList<>();
        for (Path file : relationFiles(dataDir)) {
            Optional<RelationFile> relation = RelationFile.parse(dataDir.relativize(file));
            String database = relation.map(r -> databases.get(r.databaseOid())).orElse(null);
            if (database == null) {
                continue; // a template, or a database made or dropped meanwhile
            }
            Optional<byte[]> pages = residentPages(file, pageBytes);
            if (pages.isPresent()) {
                ranges.addAll(relation.get().residentRanges(database, pages.get(), pageBytes));
            }
            if (ranges.size() >= maxRanges) {
                return List.copyOf(ranges.subList(0, maxRanges));
            }
        }
        return ranges;
    }

    /**
     * How many blocks of a relation fork are in the page cache, all its segments counted.
     *
     * @param firstSegment the fork's first file, such as pg_relation_filepath gives it
     */
    public static long residentBlocks(Path firstSegment) throws IOException {
        int pageBytes = Libc.C.getpagesize();
        long resident = 0;
        for (int segment = 0; ; segment++) {
            Path file = segment == 0 ? firstSegment : firstSegment.resolveSibling(firstSegment.getFileName() + "." + segment);
            Optional<byte[]> pages = residentPages(file, pageBytes);
            if (pages.isEmpty()) {
                return resident;
            }
            resident += RelationFile.residentBlocks(pages.get(), pageBytes);
        }
    }

    /** One byte per page of {@code file}, or empty when it is empty or gone (a relation dropped meanwhile). */
    static Optional<byte[]> residentPages(Path file, int pageBytes) throws IOException {
        long length;
        int fd;
        try {
            length = Files.size(file);
            fd = Libc.C.open(file.toString(), O_RDONLY);
        } catch (java.nio.file.NoSuchFileException | LastErrorException e) {
            return Optional.empty();
        }
        try {
            if (length == 0) {
                return Optional.empty();
            }
            Pointer mapped = Libc.C.mmap(null, length, PROT_READ, MAP_SHARED, fd, 0);
            try {
                byte[] pages = new byte[(int) ((length + pageBytes - 1) / pageBytes)];
                Libc.C.mincore(mapped, length, pages);
                return Optional.of(pages);
            } finally {
                Libc.C.munmap(mapped, length);
            }
        } catch (LastErrorException e) {
            throw new IOException("which pages of " + file + " are cached cannot be read: errno " + e.getErrorCode(), e);
        } finally {
            Libc.C.close(fd);
        }
    }

    private static List<Path> relationFiles(Path dataDir) throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path root : List.of(dataDir.resolve("base"), dataDir.resolve("pg_tblspc"))) {
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (Stream<Path> walk = Files.walk(root, 4, FileVisitOption.FOLLOW_LINKS)) { // pg_tblspc holds links
                walk.filter(Files::isRegularFile).sorted().forEach(files::add);
            } catch (java.io.UncheckedIOException e) {
                // A directory removed while walked (a database dropped): what was seen is enough.
                if (!(e.getCause() instanceof java.nio.file.NoSuchFileException)) {
                    throw e.getCause();
                }
            }
        }
        return files;
    }

    private static Map<Long, String> databases(int port) throws SQLException {
        Map<Long, String> names = new HashMap<>();
        try (Connection connection = PostgresServer.connect("127.0.0.1", port, "postgres", TIMEOUT);
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT oid, datname FROM pg_database WHERE datallowconn")) {
            while (rows.next()) {
                names.put(rows.getLong(1), rows.getString(2));
            }
        }
        return names;
    }
}
