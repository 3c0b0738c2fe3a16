package io.tidepool.store.ratis;

import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.SnapshotInfo;
import org.apache.ratis.statemachine.SnapshotRetentionPolicy;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.impl.FileListSnapshotInfo;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Snapshots as RocksDB checkpoints: directories {@code sm/snapshot.<term>_<index>} of hard links to
 * the live DB's files, listed as a {@link FileListSnapshotInfo} so that Ratis streams them to a
 * lagging follower. A follower receives the files into a temporary directory that Ratis then swaps
 * in for the whole {@code sm/} directory, live DB included; the DB is rebuilt from the newest
 * checkpoint whenever it is missing. Digests are left null: Ratis computes them while sending, which
 * keeps taking a snapshot (on the apply thread) to a few milliseconds.
 */
final class CheckpointStorage implements StateMachineStorage {
    private static final Pattern SNAPSHOT_NAME = Pattern.compile("snapshot\\.(\\d+)_(\\d+)");
    private static final String DIGEST_SUFFIX = ".md5";
    /** Checkpoints kept: more than one, so a snapshot being sent is not deleted under the sender. */
    private static final int RETAINED = 3;

    private volatile Path stateMachineDir;
    private volatile FileListSnapshotInfo latest;

    @Override
    public void init(RaftStorage storage) {
        stateMachineDir = storage.getStorageDir().getStateMachineDir().toPath();
    }

    /** For tests that run the state without Raft. */
    void init(Path stateMachineDir) {
        this.stateMachineDir = stateMachineDir;
    }

    Path dbDir() {
        return stateMachineDir.resolve("db");
    }

    @Override
    public SnapshotInfo getLatestSnapshot() {
        return latest;
    }

    Optional<TermIndex> latestTermIndex() {
        return Optional.ofNullable(latest).map(SnapshotInfo::getTermIndex);
    }

    @Override
    public void format() {
        // Nothing to prepare: directories are created when the first checkpoint is taken.
    }

    /** Finds the newest checkpoint on disk again (after start or a snapshot install). */
    void rescan() throws IOException {
        Files.createDirectories(stateMachineDir);
        Optional<Path> newest = snapshotDirs().stream().findFirst();
        latest = newest.isPresent() ? describe(newest.get()) : null;
    }

    /** Checkpoints the live state as the snapshot at {@code termIndex}. */
    void create(RocksState state, TermIndex termIndex) throws IOException {
        Path target = stateMachineDir.resolve("snapshot." + termIndex.getTerm() + "_" + termIndex.getIndex());
        if (Files.exists(target)) {
            latest = describe(target);
            return;
        }
        Path temporary = stateMachineDir.resolve("checkpoint.tmp");
        deleteRecursively(temporary);
        state.checkpoint(temporary);
        Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
        latest = describe(target);
    }

    /**
     * Builds a live DB directory from the newest checkpoint: immutable table files are hard-linked,
     * the small metadata files RocksDB rewrites are copied.
     */
    void restoreLatestInto(Path dbDir) throws IOException {
        FileListSnapshotInfo snapshot = latest;
        if (snapshot == null) {
            throw new IOException("no snapshot in " + stateMachineDir + " to restore from");
        }
        Path source = snapshotDir(snapshot.getTermIndex());
        deleteRecursively(dbDir);
        Files.createDirectories(dbDir);
        for (Path file : filesIn(source)) {
            Path target = dbDir.resolve(source.relativize(file).toString());
            Files.createDirectories(target.getParent());
            if (file.getFileName().toString().endsWith(".sst")) {
                linkOrCopy(file, target);
            } else {
                Files.copy(file, target);
            }
        }
    }

    @Override
    public void cleanupOldSnapshots(SnapshotRetentionPolicy policy) throws IOException {
        List<Path> dirs = snapshotDirs();
        for (Path old : dirs.subList(Math.min(RETAINED, dirs.size()), dirs.size())) {
            deleteRecursively(old);
        }
    }

    private Path snapshotDir(TermIndex termIndex) {
        return stateMachineDir.resolve("snapshot." + termIndex.getTerm() + "_" + termIndex.getIndex());
    }

    /** Snapshot directories, newest (highest index) first. */
    private List<Path> snapshotDirs() throws IOException {
        try (Stream<Path> children = Files.list(stateMachineDir)) {
            return children.filter(dir -> Files.isDirectory(dir) && termIndexOf(dir).isPresent())
                    .sorted(Comparator.comparing((Path dir) -> termIndexOf(dir).orElseThrow()).reversed())
                    .toList();
        }
    }

    private static Optional<TermIndex> termIndexOf(Path dir) {
        Matcher matcher = SNAPSHOT_NAME.matcher(dir.getFileName().toString());
        return matcher.matches()
                ? Optional.of(TermIndex.valueOf(Long.parseLong(matcher.group(1)), Long.parseLong(matcher.group(2))))
                : Optional.empty();
    }

    private static FileListSnapshotInfo describe(Path dir) throws IOException {
        List<FileInfo> files = new ArrayList<>();
        for (Path file : filesIn(dir)) {
            files.add(new FileInfo(file.toAbsolutePath(), null));
        }
        return new FileListSnapshotInfo(files, termIndexOf(dir).orElseThrow());
    }

    /** Regular files under {@code dir}, without the digest files Ratis leaves beside received ones. */
    private static List<Path> filesIn(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile)
                    .filter(file -> !file.getFileName().toString().endsWith(DIGEST_SUFFIX))
                    .sorted().toList();
        }
    }

    private static void linkOrCopy(Path source, Path target) throws IOException {
        try {
            Files.createLink(target, source);
        } catch (FileSystemException | UnsupportedOperationException e) {
            Files.copy(source, target);
        }
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
