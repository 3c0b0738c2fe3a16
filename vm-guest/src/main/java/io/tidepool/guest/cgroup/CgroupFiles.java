package io.tidepool.guest.cgroup;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** Reading and writing the one-value files of a cgroup directory. */
final class CgroupFiles {
    private static final long PAGE_BYTES = 4096;

    private CgroupFiles() {
    }

    /** Writes the value in one write(2), as the kernel expects; a failure names the file. */
    static void write(Path file, String value) throws IOException {
        try {
            Files.writeString(file, value, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw new CgroupWriteException(file, value, e);
        }
    }

    static String read(Path file) throws IOException {
        return Files.readString(file).trim();
    }

    static long readLong(Path file) throws IOException {
        return Long.parseLong(read(file));
    }

    /** The value of {@code key} in a "key value" file such as memory.stat; -1 when it is not there. */
    static long readKey(Path file, String key) throws IOException {
        for (String line : Files.readAllLines(file)) {
            int space = line.indexOf(' ');
            if (space > 0 && line.regionMatches(0, key, 0, key.length()) && space == key.length()) {
                return Long.parseLong(line.substring(space + 1).trim());
            }
        }
        return -1;
    }

    /** Every "key value" line of a file such as memory.stat. */
    static Map<String, Long> readKeys(Path file) throws IOException {
        Map<String, Long> values = new HashMap<>();
        for (String line : Files.readAllLines(file)) {
            int space = line.indexOf(' ');
            if (space > 0) {
                try {
                    values.put(line.substring(0, space), Long.parseLong(line.substring(space + 1).trim()));
                } catch (NumberFormatException e) {
                    // not a counter (v2's memory.stat has none such, v1's neither; skip what is not)
                }
            }
        }
        return values;
    }

    static Set<Long> pids(Path procs) throws IOException {
        Set<Long> pids = new LinkedHashSet<>();
        for (String line : Files.readAllLines(procs)) {
            if (!line.isBlank()) {
                pids.add(Long.parseLong(line.trim()));
            }
        }
        return pids;
    }

    /** Memory limits are kept in whole pages. */
    static long roundUpToPage(long bytes) {
        return (bytes + PAGE_BYTES - 1) / PAGE_BYTES * PAGE_BYTES;
    }

    static void mkdirs(Path dir) throws IOException {
        Files.createDirectories(dir);
    }

    /** rmdir; false when processes remain in it (EBUSY), true when it is gone or never was. */
    static boolean rmdir(Path dir) throws IOException {
        try {
            Files.deleteIfExists(dir);
            return true;
        } catch (DirectoryNotEmptyException | NoSuchFileException e) {
            return !Files.exists(dir);
        } catch (FileSystemException e) {
            if (e.getMessage() != null && e.getMessage().contains("busy")) {
                return false;
            }
            throw e;
        }
    }

    /** A write the kernel refused, with the file and value, which the bare errno message lacks. */
    static final class CgroupWriteException extends IOException {
        private final boolean busy;

        CgroupWriteException(Path file, String value, IOException cause) {
            super("writing \"" + value.trim() + "\" to " + file + " failed: " + reason(cause), cause);
            this.busy = reason(cause).contains("busy");
        }

        private static String reason(IOException cause) {
            String reason = cause instanceof FileSystemException fs ? fs.getReason() : cause.getMessage();
            return reason == null ? cause.getClass().getSimpleName() : reason;
        }

        /** EBUSY: for a memory limit, what the cgroup holds does not fit below it. */
        boolean busy() {
            return busy;
        }
    }
}
