package io.tidepool.manifests.git;

import io.tidepool.api.quantity.DurationFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the {@code git} command line, so that whatever the user's git reaches (local paths, ssh with
 * their keys, https with their credential helpers) a sync reaches too. Every command has a time
 * limit; its input and output go through files in a scratch directory, which keeps the limit a
 * plain {@code waitFor} with no reader threads to stall on a full pipe.
 */
public final class GitCommandLine {
    private static final int MAX_ERROR_CHARS = 2000;

    /** What one command did. */
    public record Result(int exitCode, byte[] stdout, String stderr) {
        public boolean succeeded() {
            return exitCode == 0;
        }

        public String stdoutText() {
            return new String(stdout, StandardCharsets.UTF_8);
        }
    }

    private final String executable;
    private final Path scratchDir;

    /**
     * @param executable {@code git}, found on the PATH, or the path of another git
     * @param scratchDir where each command's input and output are kept while it runs
     */
    public GitCommandLine(String executable, Path scratchDir) {
        this.executable = executable;
        this.scratchDir = scratchDir;
    }

    /**
     * Runs {@code git ARGS} in {@code workDir}.
     *
     * @param stdin          what the command reads, or empty
     * @param maxStdoutBytes more output than this is refused (the command is bounded, not its reader)
     * @throws GitException when git is missing, does not finish within {@code timeout} or says more than allowed
     */
    public Result run(Path workDir, List<String> args, byte[] stdin, Duration timeout, long maxStdoutBytes) {
        return run(workDir, null, args, stdin, timeout, maxStdoutBytes);
    }

    /**
     * Runs {@code git --git-dir=GITDIR ARGS}: a bare repository named outright, since a user's
     * {@code safe.bareRepository=explicit} forbids finding one from the working directory.
     */
    public Result runIn(Path gitDir, List<String> args, byte[] stdin, Duration timeout, long maxStdoutBytes) {
        return run(gitDir, gitDir, args, stdin, timeout, maxStdoutBytes);
    }

    private Result run(Path workDir, Path gitDir, List<String> args, byte[] stdin, Duration timeout, long maxStdoutBytes) {
        Path input = null;
        Path output = null;
        Path errors = null;
        try {
            Files.createDirectories(scratchDir);
            input = Files.createTempFile(scratchDir, "git-in-", "");
            output = Files.createTempFile(scratchDir, "git-out-", "");
            errors = Files.createTempFile(scratchDir, "git-err-", "");
            Files.write(input, stdin);
            Process process = start(workDir, gitDir, args, input, output, errors);
            waitFor(process, args, timeout);
            long size = Files.size(output);
            if (size > maxStdoutBytes) {
                throw new GitException(GitException.Reason.FAILED, describe(args) + " wrote " + size
                        + " bytes, more than the limit of " + maxStdoutBytes);
            }
            return new Result(process.exitValue(), Files.readAllBytes(output), errorText(errors));
        } catch (IOException e) {
            throw new GitException(GitException.Reason.FAILED, "cannot run " + describe(args) + ": " + e.getMessage());
        } finally {
            deleteQuietly(input);
            deleteQuietly(output);
            deleteQuietly(errors);
        }
    }

    private Process start(Path workDir, Path gitDir, List<String> args, Path input, Path output, Path errors) {
        List<String> command = new ArrayList<>();
        command.add(executable);
        if (gitDir != null) {
            command.add("--git-dir=" + gitDir);
        }
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectInput(input.toFile())
                .redirectOutput(output.toFile())
                .redirectError(errors.toFile());
        Map<String, String> env = builder.environment();
        // Nobody is there to type a password: fail at once rather than wait for the time limit.
        env.put("GIT_TERMINAL_PROMPT", "0");
        env.put("GCM_INTERACTIVE", "never");
        // Git's messages in English, as the errors we pass on are read by people and by our parsing.
        env.put("LC_ALL", "C");
        env.remove("LANGUAGE");
        // Our cache is the repository; one the caller's environment names must not be used instead.
        env.remove("GIT_DIR");
        env.remove("GIT_WORK_TREE");
        env.remove("GIT_INDEX_FILE");
        try {
            return builder.start();
        } catch (IOException e) {
            throw new GitException(GitException.Reason.GIT_MISSING, "cannot run " + executable + " (" + e.getMessage()
                    + "): sync needs the git command line; install it (apt-get install git) or put it on the PATH");
        }
    }

    private static void waitFor(Process process, List<String> args, Duration timeout) {
        try {
            if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                kill(process);
                throw new GitException(GitException.Reason.TIMED_OUT, describe(args) + " did not finish within "
                        + DurationFormat.format(timeout.truncatedTo(java.time.temporal.ChronoUnit.MILLIS)) + " and was stopped");
            }
        } catch (InterruptedException e) {
            kill(process);
            Thread.currentThread().interrupt();
            throw new GitException(GitException.Reason.FAILED, describe(args) + " was interrupted");
        }
    }

    // git fetch runs ssh or a remote helper below it: those must go too, not linger holding the cache lock.
    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private static String errorText(Path errors) throws IOException {
        String text = new String(Files.readAllBytes(errors), StandardCharsets.UTF_8).strip();
        return text.length() > MAX_ERROR_CHARS ? text.substring(0, MAX_ERROR_CHARS) + "..." : text;
    }

    /** {@code git fetch}: the subcommand, without options that come before it (they may hold paths). */
    private static String describe(List<String> args) {
        return "git " + args.stream().filter(a -> !a.startsWith("-")).findFirst().orElse("");
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // A leftover scratch file is harmless; the next command uses fresh names.
            }
        }
    }
}
