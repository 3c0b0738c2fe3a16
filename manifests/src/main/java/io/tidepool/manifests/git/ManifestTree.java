package io.tidepool.manifests.git;

import io.tidepool.manifests.source.ManifestFile;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Reads the manifests ({@code .yaml} and {@code .yml} files, recursively, hidden ones left out, as
 * {@code apply -f DIR} does) under a path of a repository at exactly one commit, from the objects
 * of a bare clone: nothing is checked out, so a fetch meanwhile cannot mix two commits. Each file is
 * named by its path in the repository, so errors point where the author can look.
 */
public final class ManifestTree {
    private static final long MAX_LISTING_BYTES = 32L << 20;
    private static final String REGULAR = "100644";
    private static final String EXECUTABLE = "100755";
    private static final String SYMLINK = "120000";
    private static final String SUBMODULE = "160000";

    private final GitCommandLine git;
    private final Path gitDir;
    private final TreeLimits limits;
    private final Duration timeout;

    public ManifestTree(GitCommandLine git, Path gitDir, TreeLimits limits, Duration timeout) {
        this.git = git;
        this.gitDir = gitDir;
        this.limits = limits;
        this.timeout = timeout;
    }

    /**
     * @return the files, or the problems that keep this commit from being a manifest set
     * @throws GitException FAILED when the clone does not hold the commit or git fails otherwise
     */
    public CommitManifests read(String commit, RepositoryPath path) {
        List<Entry> entries = list(commit, path);
        String at = " in commit " + shortId(commit);
        if (entries.isEmpty()) {
            return problem(commit, path, new TreeProblem(path.isRoot() ? "." : path.value(), "no such file or directory" + at));
        }
        List<TreeProblem> problems = new ArrayList<>();
        List<Entry> manifests = new ArrayList<>();
        for (Entry entry : entries) {
            if (isHidden(path.relativize(entry.path()))) {
                continue;
            }
            if (entry.mode().equals(SUBMODULE)) {
                problems.add(new TreeProblem(entry.path(), "a submodule: sync does not read submodules; keep the manifests in this repository"));
            } else if (isManifest(entry.path()) && entry.mode().equals(SYMLINK)) {
                problems.add(new TreeProblem(entry.path(), "a symbolic link: sync reads only files the commit holds"));
            } else if (isManifest(entry.path()) && (entry.mode().equals(REGULAR) || entry.mode().equals(EXECUTABLE))) {
                manifests.add(entry);
            }
        }
        if (manifests.isEmpty() && problems.isEmpty()) {
            String what = entries.size() == 1 && entries.get(0).path().equals(path.value())
                    ? "not a .yaml or .yml file" : "no .yaml or .yml files here";
            problems.add(new TreeProblem(path.isRoot() ? "." : path.value(), what + at));
        }
        problems.addAll(overLimits(path, manifests));
        if (!problems.isEmpty()) {
            return new CommitManifests(commit, path, List.of(), problems);
        }
        return contents(commit, path, manifests);
    }

    private List<Entry> list(String commit, RepositoryPath path) {
        List<String> args = new ArrayList<>(List.of("ls-tree", "-r", "-z", "--long", "--full-tree", commit));
        if (!path.isRoot()) {
            args.addAll(List.of("--", path.value()));
        }
        GitCommandLine.Result listed = git.runIn(gitDir, args, new byte[0], timeout, MAX_LISTING_BYTES);
        if (!listed.succeeded()) {
            throw new GitException(GitException.Reason.FAILED, "cannot list commit " + shortId(commit)
                    + " in the git cache " + gitDir + ": " + GitMirror.gitSays(listed));
        }
        List<Entry> entries = new ArrayList<>();
        for (String record : listed.stdoutText().split("\0")) {
            if (!record.isEmpty()) {
                Entry entry = Entry.parse(record);
                if (path.contains(entry.path())) {
                    entries.add(entry);
                }
            }
        }
        entries.sort(Comparator.comparing(Entry::path));
        return entries;
    }

    private List<TreeProblem> overLimits(RepositoryPath path, List<Entry> manifests) {
        List<TreeProblem> problems = new ArrayList<>();
        String where = path.isRoot() ? "." : path.value();
        if (manifests.size() > limits.maxFiles()) {
            problems.add(new TreeProblem(where, manifests.size() + " manifest files, more than the limit of " + limits.maxFiles()));
        }
        long total = 0;
        for (Entry entry : manifests) {
            total += entry.sizeBytes();
            if (entry.sizeBytes() > limits.maxFileBytes()) {
                problems.add(new TreeProblem(entry.path(), "file is " + entry.sizeBytes()
                        + " bytes, more than the limit of " + limits.maxFileBytes() + " bytes per manifest file"));
            }
        }
        if (total > limits.maxTotalBytes()) {
            problems.add(new TreeProblem(where, "manifest files total " + total + " bytes, more than the limit of "
                    + limits.maxTotalBytes() + " bytes"));
        }
        return problems;
    }

    private CommitManifests contents(String commit, RepositoryPath path, List<Entry> manifests) {
        StringBuilder ids = new StringBuilder();
        long expected = 0;
        for (Entry entry : manifests) {
            ids.append(entry.object()).append('\n');
            expected += entry.sizeBytes() + entry.object().length() + 64;
        }
        GitCommandLine.Result read = git.runIn(gitDir, List.of("cat-file", "--batch"),
                ids.toString().getBytes(StandardCharsets.US_ASCII), timeout, expected);
        if (!read.succeeded()) {
            throw new GitException(GitException.Reason.FAILED, "cannot read commit " + shortId(commit) + ": " + GitMirror.gitSays(read));
        }
        List<ManifestFile> files = new ArrayList<>();
        List<TreeProblem> problems = new ArrayList<>();
        BatchReader batch = new BatchReader(read.stdout());
        for (Entry entry : manifests) {
            byte[] bytes = batch.next(entry.object());
            try {
                files.add(new ManifestFile(entry.path(), decode(bytes)));
            } catch (CharacterCodingException e) {
                problems.add(new TreeProblem(entry.path(), "not UTF-8 text"));
            }
        }
        return problems.isEmpty() ? new CommitManifests(commit, path, files, List.of())
                : new CommitManifests(commit, path, List.of(), problems);
    }

    private static CommitManifests problem(String commit, RepositoryPath path, TreeProblem problem) {
        return new CommitManifests(commit, path, List.of(), List.of(problem));
    }

    private static String decode(byte[] bytes) throws CharacterCodingException {
        return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes))
                .toString();
    }

    // As apply -f DIR: editors' and tools' hidden files (.github/, .#swap) are never manifests.
    private static boolean isHidden(String relative) {
        for (String part : relative.split("/")) {
            if (part.startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    private static boolean isManifest(String path) {
        return path.endsWith(".yaml") || path.endsWith(".yml");
    }

    public static String shortId(String commit) {
        return commit.length() > 12 ? commit.substring(0, 12) : commit;
    }

    /** One line of {@code ls-tree -r -z --long}: {@code MODE TYPE OBJECT SIZE\tPATH}. */
    private record Entry(String mode, String object, long sizeBytes, String path) {
        static Entry parse(String record) {
            int tab = record.indexOf('\t');
            String[] fields = record.substring(0, tab).trim().split(" +");
            long size = fields[3].equals("-") ? 0 : Long.parseLong(fields[3]);
            return new Entry(fields[0], fields[2], size, record.substring(tab + 1));
        }
    }

    /** Walks {@code cat-file --batch} output: {@code OBJECT TYPE SIZE\n}, the content, {@code \n}, per object. */
    private static final class BatchReader {
        private final byte[] out;
        private int at;

        BatchReader(byte[] out) {
            this.out = out;
        }

        byte[] next(String object) {
            int newline = indexOf((byte) '\n', at);
            String[] header = new String(out, at, newline - at, StandardCharsets.US_ASCII).split(" ");
            if (header.length != 3 || !header[0].equals(object) || !header[1].equals("blob")) {
                throw new GitException(GitException.Reason.FAILED, "unexpected answer from git cat-file for "
                        + object + ": " + String.join(" ", header));
            }
            int size = Integer.parseInt(header[2]);
            byte[] content = java.util.Arrays.copyOfRange(out, newline + 1, newline + 1 + size);
            at = newline + 1 + size + 1;
            return content;
        }

        private int indexOf(byte b, int from) {
            for (int i = from; i < out.length; i++) {
                if (out[i] == b) {
                    return i;
                }
            }
            throw new GitException(GitException.Reason.FAILED, "git cat-file ended early");
        }
    }
}
