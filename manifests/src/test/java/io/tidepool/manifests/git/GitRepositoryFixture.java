package io.tidepool.manifests.git;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real git repository made in a test's directory with the git command line, as a user would make
 * one: write files, commit, see the commit id. Its git ignores the machine's and the user's config,
 * so a signing or hook setting there cannot break a test.
 */
public final class GitRepositoryFixture {
    private final Path dir;

    private GitRepositoryFixture(Path dir) {
        this.dir = dir;
    }

    /** Skips the calling test, saying why, where this machine has no git. */
    public static void assumeGit() {
        Optional<String> missing = gitMissing();
        Assumptions.assumeTrue(missing.isEmpty(), () -> missing.orElse(""));
    }

    private static Optional<String> gitMissing() {
        try {
            Process process = new ProcessBuilder("git", "--version").redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            if (process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0) {
                return Optional.empty();
            }
            return Optional.of("git --version failed: the sync tests need the git command line");
        } catch (IOException e) {
            return Optional.of("git is not installed (apt-get install git): the sync tests need the git command line");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted");
        }
    }

    /** A new repository with {@code main} as its branch, and no commits yet. */
    public static GitRepositoryFixture init(Path dir) {
        GitRepositoryFixture repository = new GitRepositoryFixture(dir);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        repository.git("init", "--quiet", "--initial-branch=main");
        return repository;
    }

    public Path dir() {
        return dir;
    }

    public GitRepositoryFixture write(String path, String text) {
        return write(path, text.getBytes(StandardCharsets.UTF_8));
    }

    public GitRepositoryFixture write(String path, byte[] bytes) {
        try {
            Path file = dir.resolve(path);
            Files.createDirectories(file.getParent());
            Files.write(file, bytes);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public GitRepositoryFixture delete(String path) {
        git("rm", "--quiet", "-r", "--", path);
        return this;
    }

    /** Commits every change in the work tree; returns the new commit's id. */
    public String commit(String message) {
        git("add", "--all");
        git("commit", "--quiet", "--allow-empty", "-m", message);
        return head();
    }

    public String head() {
        return git("rev-parse", "HEAD").strip();
    }

    public void checkoutNewBranch(String branch) {
        git("checkout", "--quiet", "-b", branch);
    }

    public void checkout(String branch) {
        git("checkout", "--quiet", branch);
    }

    /** Runs git in the repository and returns what it printed; fails the test if git fails. */
    public String git(String... args) {
        List<String> command = new ArrayList<>(List.of("git", "-c", "user.name=Tidepool Test",
                "-c", "user.email=test@tidepool.invalid", "-c", "commit.gpgsign=false"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.put("GIT_CONFIG_NOSYSTEM", "1");
        env.put("GIT_CONFIG_GLOBAL", "/dev/null");
        env.put("LC_ALL", "C");
        try {
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new AssertionError("git " + String.join(" ", args) + " failed: " + output);
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
