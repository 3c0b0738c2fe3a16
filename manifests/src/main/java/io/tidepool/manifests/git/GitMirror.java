package io.tidepool.manifests.git;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * A bare clone of one repository kept in a cache directory of the sync's own. Each fetch asks the
 * remote where the branch is ({@code ls-remote}) and downloads only a commit the cache lacks, one
 * commit deep: a sync needs the tree of the branch head, never history. The remote is passed on
 * every call and never written into the clone's config, so credentials in a URL stay off disk.
 */
public final class GitMirror {
    private static final long MAX_LISTING_BYTES = 1L << 20;
    private static final String REF_PREFIX = "refs/tidepool/heads/";
    // Two syncs of one repository in one JVM share the cache: the file lock alone would throw for the second.
    private static final Map<Path, Object> LOCKS_IN_THIS_JVM = new ConcurrentHashMap<>();

    /** How long git may take: a fetch crosses the network, the rest stays on this machine. */
    public record Timeouts(Duration remote, Duration local) {
        public static final Timeouts DEFAULT = new Timeouts(Duration.ofMinutes(2), Duration.ofSeconds(30));
    }

    private final GitCommandLine git;
    private final RepositoryAddress address;
    private final Path directory;
    private final Timeouts timeouts;

    public GitMirror(GitCommandLine git, RepositoryAddress address, Path cacheRoot, Timeouts timeouts) {
        this.git = git;
        this.address = address;
        this.directory = cacheRoot.resolve(address.cacheName()).toAbsolutePath().normalize();
        this.timeouts = timeouts;
    }

    /** The bare clone, for reading trees once {@link #fetch} has brought a commit in. */
    public Path directory() {
        return directory;
    }

    public RepositoryAddress address() {
        return address;
    }

    /**
     * Brings the head of {@code branch} (or of the branch the remote's HEAD names, when empty) into
     * the cache and says which commit it is.
     *
     * @throws GitException UNREACHABLE, TIMED_OUT, NO_SUCH_BRANCH, GIT_MISSING or FAILED, with git's reason
     */
    public BranchHead fetch(Optional<String> branch) {
        branch.ifPresent(GitMirror::checkBranchName);
        return locked(() -> {
            initialize();
            BranchHead remote = remoteHead(branch);
            String ref = REF_PREFIX + remote.branch();
            if (hasCommit(remote.commit())) {
                local(List.of("update-ref", ref, remote.commit()), "cannot record the head of " + remote.branch());
                return remote;
            }
            GitCommandLine.Result fetched = git.runIn(directory, List.of("fetch", "--quiet", "--no-tags",
                    "--no-write-fetch-head", "--depth=1", "--", address.location(),
                    "+refs/heads/" + remote.branch() + ":" + ref), new byte[0], timeouts.remote(), MAX_LISTING_BYTES);
            if (!fetched.succeeded()) {
                throw remoteFailure(fetched, "cannot fetch branch " + remote.branch() + " of " + address.shown());
            }
            String commit = local(List.of("rev-parse", "--verify", "--quiet", ref + "^{commit}"),
                    "cannot resolve the fetched head of " + remote.branch()).strip();
            return new BranchHead(remote.branch(), commit);
        });
    }

    /** Whether the cache holds this commit (with its tree), as after an earlier fetch. */
    public boolean hasCommit(String commit) {
        return git.runIn(directory, List.of("cat-file", "-e", commit + "^{commit}"), new byte[0], timeouts.local(), 0)
                .succeeded();
    }

    private BranchHead remoteHead(Optional<String> branch) {
        List<String> args = new ArrayList<>(List.of("ls-remote", "--symref", "--", address.location(), "HEAD"));
        branch.ifPresent(b -> args.add("refs/heads/" + b));
        GitCommandLine.Result listed = git.runIn(directory, args, new byte[0], timeouts.remote(), MAX_LISTING_BYTES);
        if (!listed.succeeded()) {
            throw remoteFailure(listed, "cannot reach " + address.shown());
        }
        RemoteRefs refs = RemoteRefs.parse(listed.stdoutText());
        String name = branch.orElseGet(() -> refs.headBranch().orElseThrow(() -> new GitException(
                GitException.Reason.NO_SUCH_BRANCH, refs.isEmpty() ? address.shown() + " has no commits yet"
                        : address.shown() + ": its HEAD names no branch; pass --branch")));
        // Asked only for HEAD, ls-remote lists the branch it names under HEAD, not under the branch.
        String commit = refs.commitOf(branch.isPresent() ? "refs/heads/" + name : "HEAD").orElseThrow(() -> new GitException(
                GitException.Reason.NO_SUCH_BRANCH, refs.isEmpty() ? address.shown() + " has no commits yet"
                        : "no branch " + name + " in " + address.shown()));
        return new BranchHead(name, commit);
    }

    private GitException remoteFailure(GitCommandLine.Result result, String what) {
        return new GitException(GitException.Reason.UNREACHABLE, what + ": " + address.redact(gitSays(result)));
    }

    private void initialize() {
        if (Files.exists(directory.resolve("HEAD"))) {
            return;
        }
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new GitException(GitException.Reason.FAILED, "cannot make the git cache " + directory + ": " + e.getMessage());
        }
        GitCommandLine.Result made = git.run(directory, List.of("init", "--quiet", "--bare", directory.toString()),
                new byte[0], timeouts.local(), MAX_LISTING_BYTES);
        if (!made.succeeded()) {
            throw new GitException(GitException.Reason.FAILED, "cannot make the git cache " + directory + ": " + gitSays(made));
        }
    }

    private String local(List<String> args, String what) {
        GitCommandLine.Result result = git.runIn(directory, args, new byte[0], timeouts.local(), MAX_LISTING_BYTES);
        if (!result.succeeded()) {
            throw new GitException(GitException.Reason.FAILED, what + ": " + gitSays(result));
        }
        return result.stdoutText();
    }

    static String gitSays(GitCommandLine.Result result) {
        String text = result.stderr().lines().map(String::strip).filter(l -> !l.isEmpty())
                .reduce((a, b) -> a + "; " + b).orElse("");
        return text.isEmpty() ? "git exited with " + result.exitCode() : text;
    }

    /** Refuses a name git would take for an option or that no branch can have. */
    public static void checkBranchName(String branch) {
        if (branch.isEmpty() || branch.startsWith("-") || branch.startsWith("/") || branch.endsWith("/")
                || branch.endsWith(".lock") || branch.contains("..") || branch.contains("//") || branch.contains("@{")
                || !branch.chars().allMatch(c -> c > 32 && c != 127 && "~^:?*[\\".indexOf(c) < 0)) {
            throw new IllegalArgumentException("\"" + branch + "\" is not a branch name git accepts");
        }
    }

    private <T> T locked(Supplier<T> work) {
        Object monitor = LOCKS_IN_THIS_JVM.computeIfAbsent(directory, d -> new Object());
        synchronized (monitor) {
            Path lockFile = directory.resolveSibling(directory.getFileName() + ".lock");
            try {
                Files.createDirectories(directory.getParent());
                try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                    FileLock lock = channel.lock();
                    try {
                        return work.get();
                    } finally {
                        lock.release();
                    }
                }
            } catch (IOException e) {
                throw new GitException(GitException.Reason.FAILED, "cannot lock the git cache " + lockFile + ": " + e.getMessage());
            }
        }
    }

    /** What {@code ls-remote --symref} printed: refs with their commits, and the branch HEAD names. */
    private record RemoteRefs(Map<String, String> commits, Optional<String> headBranch) {
        static RemoteRefs parse(String listing) {
            Map<String, String> commits = new HashMap<>();
            Optional<String> head = Optional.empty();
            for (String line : listing.split("\n")) {
                String[] parts = line.split("\t", 2);
                if (parts.length != 2) {
                    continue;
                }
                if (parts[0].startsWith("ref: refs/heads/") && parts[1].equals("HEAD")) {
                    head = Optional.of(parts[0].substring("ref: refs/heads/".length()));
                } else if (parts[0].matches("[0-9a-f]{40,64}")) {
                    commits.put(parts[1], parts[0]);
                }
            }
            return new RemoteRefs(commits, head);
        }

        Optional<String> commitOf(String ref) {
            return Optional.ofNullable(commits.get(ref));
        }

        boolean isEmpty() {
            return commits.isEmpty();
        }
    }
}
