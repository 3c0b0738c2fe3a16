package io.tidepool.server.cli;

import io.tidepool.api.quantity.DurationFormat;
import io.tidepool.api.validation.DnsLabel;
import io.tidepool.manifests.cli.DurationConverter;
import io.tidepool.manifests.git.GitMirror;
import io.tidepool.manifests.git.RepositoryAddress;
import io.tidepool.manifests.git.RepositoryPath;
import io.tidepool.manifests.sync.SetName;
import io.tidepool.server.sync.SyncSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** The git sync a control-plane node runs while it leads ({@code server} and {@code up}); none without --sync-repo. */
public final class SyncOptions {
    @Option(names = "--sync-repo", paramLabel = "URL-or-PATH",
            description = "Apply this git repository's manifests continuously, as tidepool sync would, on the leader")
    String repo;

    @Option(names = "--sync-branch", paramLabel = "B", description = "With --sync-repo: branch to follow (default: the one HEAD names)")
    String branch;

    @Option(names = "--sync-path", paramLabel = "DIR", description = "With --sync-repo: directory of the manifests (default: the root)")
    String path;

    @Option(names = "--sync-interval", paramLabel = "DURATION", defaultValue = "30s", converter = DurationConverter.class,
            description = "With --sync-repo: time between rounds (default: ${DEFAULT-VALUE})")
    Duration interval;

    @Option(names = "--sync-self-heal", description = "With --sync-repo: put back objects that drifted from the commit in force")
    boolean selfHeal;

    @Option(names = "--sync-set", paramLabel = "NAME",
            description = "With --sync-repo: apply set to write (default: derived from the repository and path)")
    String set;

    /** @throws ParameterException naming the option that is wrong */
    Optional<SyncSettings> settings(CommandLine command) {
        if (repo == null) {
            if (branch != null || path != null || selfHeal || set != null) {
                throw new ParameterException(command, "--sync-branch, --sync-path, --sync-self-heal and --sync-set need --sync-repo");
            }
            return Optional.empty();
        }
        checkSetName(command);
        if (interval.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new ParameterException(command, "--sync-interval: expected at least 1s, got " + DurationFormat.format(interval));
        }
        RepositoryAddress address = parsed(command, "--sync-repo", () -> RepositoryAddress.parse(repo, Path.of("")));
        RepositoryPath repositoryPath = parsed(command, "--sync-path", () -> RepositoryPath.parse(path));
        Optional<String> wanted = Optional.ofNullable(branch);
        wanted.ifPresent(b -> parsed(command, "--sync-branch", () -> {
            GitMirror.checkBranchName(b);
            return b;
        }));
        String name = set != null ? set : SetName.derive(address, wanted, repositoryPath);
        return Optional.of(new SyncSettings(address, wanted, repositoryPath, interval, selfHeal, name));
    }

    private static <T> T parsed(CommandLine command, String option, Supplier<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(command, option + ": " + e.getMessage());
        }
    }

    private void checkSetName(CommandLine command) {
        if (set != null && !DnsLabel.isValid(set)) {
            throw new ParameterException(command, "--sync-set: expected " + DnsLabel.RULE + ", got \"" + set + "\""
                    + DnsLabel.nearest(set).map(s -> "; did you mean " + s + "?").orElse(""));
        }
    }
}
