package io.tidepool.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Data directories no endpoint needs any more (a former primary's after a promotion, a discarded
 * standby's copy). Retiring one renames it out of the endpoint's tree at once, so nothing can take
 * it for live data, and deletes it a grace period later on a thread of its own: deleting a data
 * directory unlinks every file, frees its page cache and, on a filesystem mounted with discard,
 * trims its blocks, and right after a switch that work would compete with the new primary's first
 * seconds. What a stopped or crashed process left retired is deleted after the grace of the next
 * start. Several drivers may share a data root (hosts on one machine), so a directory that has
 * gone under a deletion is not an error.
 */
final class RetiredData implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RetiredData.class);
    static final Duration GRACE = Duration.ofSeconds(30);

    private final Path retired;
    private final Duration grace;
    private final ScheduledExecutorService deletions;

    RetiredData(Path dataRoot, Duration grace) throws IOException {
        this.retired = dataRoot.resolve("retired");
        this.grace = grace;
        Files.createDirectories(retired);
        this.deletions = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "retired-data");
            thread.setDaemon(true);
            return thread;
        });
        try (Stream<Path> left = Files.list(retired)) {
            left.forEach(this::deleteLater);
        }
    }

    /** Moves {@code dir} out of the way now and deletes it after the grace period. */
    void retire(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        Path target = retired.resolve(dir.getFileName() + "-" + UUID.randomUUID());
        Files.move(dir, target); // a rename on the data root's filesystem
        deleteLater(target);
    }

    /** Whether nothing retired waits for its deletion. */
    boolean empty() {
        try (Stream<Path> left = Files.list(retired)) {
            return left.findAny().isEmpty();
        } catch (IOException e) {
            throw new UncheckedIOException("listing " + retired, e);
        }
    }

    private void deleteLater(Path dir) {
        deletions.schedule(() -> delete(dir), grace.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Deletes {@code dir}; whether it is gone, by this deletion or another's. */
    static boolean delete(Path dir) {
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                    if (e instanceof NoSuchFileException) {
                        return FileVisitResult.CONTINUE;
                    }
                    throw e;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path visited, IOException e) throws IOException {
                    if (e != null && !(e instanceof NoSuchFileException)) {
                        throw e;
                    }
                    Files.deleteIfExists(visited);
                    return FileVisitResult.CONTINUE;
                }
            });
            return true;
        } catch (IOException e) {
            log.warn("the retired data directory {} stays: {}", dir, e.getMessage());
            return false;
        }
    }

    /** Deletions not yet due are left for the next start. */
    @Override
    public void close() {
        List<Runnable> pending = deletions.shutdownNow();
        if (!pending.isEmpty()) {
            log.info("{} retired data directories under {} are deleted after the next start", pending.size(), retired);
        }
    }
}
