package io.tidepool.manifests.cli;

import io.tidepool.api.quantity.DurationFormat;
import io.tidepool.api.validation.DnsLabel;
import io.tidepool.manifests.git.GitException;
import io.tidepool.manifests.git.GitMirror;
import io.tidepool.manifests.git.RepositoryAddress;
import io.tidepool.manifests.git.RepositoryPath;
import io.tidepool.manifests.sync.AttemptOutcome;
import io.tidepool.manifests.sync.GitCommitSource;
import io.tidepool.manifests.sync.RestApplySet;
import io.tidepool.manifests.sync.RoundReport;
import io.tidepool.manifests.sync.SetName;
import io.tidepool.manifests.sync.SyncDecision;
import io.tidepool.manifests.sync.SyncLoop;
import io.tidepool.manifests.sync.SyncPolicy;
import io.tidepool.manifests.sync.SyncRound;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "sync", description = {
        "Apply the manifests of a git repository's branch as one apply set, with prune, and keep doing so:",
        "each new commit is applied; an invalid one is not (the error names file, line and field) and the",
        "previous commit stays in force; drift from the commit is shown, and with --self-heal put back.",
        "Prints one line per round. --once applies the current commit and exits: 0 applied or unchanged,",
        "2 invalid manifests, 3 repository or server unreachable, 4 no such branch, 5 refused or failed."})
public final class SyncCommand implements Callable<Integer> {
    static final Duration MIN_INTERVAL = Duration.ofSeconds(1);

    @Mixin
    ClientOptions client;

    @Option(names = "--repo", required = true, paramLabel = "URL-or-PATH",
            description = "The repository: any URL git reaches (https, ssh, git@host:path, file://) or a local path")
    String repo;

    @Option(names = "--branch", paramLabel = "B", description = "Branch to follow (default: the one the repository's HEAD names)")
    String branch;

    @Option(names = "--path", paramLabel = "DIR", defaultValue = "",
            description = "Directory (or file) of the manifests in the repository, read recursively (default: the root)")
    String path;

    @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "30s", converter = DurationConverter.class,
            description = "Time between rounds, like 30s, 5m (default: ${DEFAULT-VALUE})")
    Duration interval;

    @Option(names = "--once", description = "Apply the current commit and exit")
    boolean once;

    @Option(names = "--self-heal", description = "Put back objects of the set that drifted from the commit in force")
    boolean selfHeal;

    @Option(names = "--set", paramLabel = "NAME", description = "Apply set to write (default: derived from the repository and path, and printed)")
    String set;

    @Option(names = "--cache-dir", paramLabel = "DIR",
            description = "Where the repository's cache clone is kept (default: ~/.tidepool/git)")
    Path cacheDir;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        RepositoryAddress address = argument(() -> RepositoryAddress.parse(repo, Path.of("")));
        RepositoryPath repositoryPath = argument(() -> RepositoryPath.parse(path));
        Optional<String> wantedBranch = Optional.ofNullable(branch);
        wantedBranch.ifPresent(b -> argument(() -> {
            GitMirror.checkBranchName(b);
            return b;
        }));
        Duration every = argument(() -> atLeastASecond(interval));
        if (set != null && !DnsLabel.isValid(set)) {
            throw new CliException(ExitCode.INVALID, "--set: expected " + DnsLabel.RULE + ", got \"" + set + "\""
                    + DnsLabel.nearest(set).map(s -> "; did you mean " + s + "?").orElse(""));
        }
        String setName = set != null ? set : SetName.derive(address, wantedBranch, repositoryPath);
        Path cache = cacheDir != null ? cacheDir : Path.of(System.getProperty("user.home"), ".tidepool", "git");
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        out.println("sync " + address.shown() + " branch " + wantedBranch.orElse("(its HEAD)") + " path " + repositoryPath
                + " into apply set " + setName + (once ? "" : ", every " + DurationFormat.format(every))
                + (selfHeal ? ", self-heal" : ""));
        out.flush();
        SyncRound round = new SyncRound(GitCommitSource.open(address, wantedBranch, repositoryPath, cache),
                new RestApplySet(client.connect(), setName), SyncPolicy.DEFAULT, selfHeal, Clock.systemUTC());
        if (once) {
            RoundReport report = round.run();
            print(report, out, err);
            return exitCode(report);
        }
        runUntilStopped(round, every, out, err);
        return ExitCode.OK;
    }

    private static void runUntilStopped(SyncRound round, Duration every, PrintWriter out, PrintWriter err)
            throws InterruptedException {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "sync");
            thread.setDaemon(true);
            return thread;
        });
        SyncLoop loop = new SyncLoop(round, every,
                (task, delay) -> executor.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS),
                report -> print(report, out, err));
        try {
            loop.start();
            // Ctrl-C ends the process; nothing here needs a graceful stop (a git command dies with it).
            new CountDownLatch(1).await();
        } finally {
            loop.close();
            executor.shutdownNow();
        }
    }

    static void print(RoundReport report, PrintWriter out, PrintWriter err) {
        out.println(report.at().truncatedTo(ChronoUnit.SECONDS) + " " + report.line());
        out.flush();
        if (report.outcome().isPresent()) {
            report.errors().forEach(e -> err.println("error: " + e));
            err.flush();
        }
    }

    /** What {@code --once} exits with: the meanings of {@link ExitCode}, by how the round ended. */
    static int exitCode(RoundReport report) {
        if (report.decision() instanceof SyncDecision.KeepPrevious) {
            return ExitCode.INVALID;
        }
        if (report.outcome().isEmpty()) {
            return ExitCode.OK;
        }
        AttemptOutcome outcome = report.outcome().get();
        return switch (outcome) {
            case APPLIED, UNCHANGED -> ExitCode.OK;
            case INVALID -> ExitCode.INVALID;
            case UNAVAILABLE -> ExitCode.UNAVAILABLE;
            case REFUSED, CONFLICT -> ExitCode.FAILED;
            case FETCH_FAILED -> report.fetchFailure().map(SyncCommand::exitCode).orElse(ExitCode.FAILED);
        };
    }

    private static int exitCode(GitException.Reason reason) {
        return switch (reason) {
            case UNREACHABLE, TIMED_OUT -> ExitCode.UNAVAILABLE;
            case NO_SUCH_BRANCH -> ExitCode.NOT_FOUND;
            case GIT_MISSING, FAILED -> ExitCode.FAILED;
        };
    }

    private static Duration atLeastASecond(Duration duration) {
        if (duration.compareTo(MIN_INTERVAL) < 0) {
            throw new IllegalArgumentException("--interval: expected at least 1s, got " + DurationFormat.format(duration));
        }
        return duration;
    }

    private static <T> T argument(Supplier<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCode.INVALID, e.getMessage());
        }
    }
}
