package io.tidepool.manifests.cli;

import io.tidepool.manifests.apply.ApplyOptions;
import java.util.List;
import picocli.CommandLine.Option;

/** {@code --set}, {@code --prune} and {@code --allow-empty}: which apply set the manifests make up, and whether to prune it. */
final class SetOptions {
    @Option(names = "--set", paramLabel = "NAME",
            description = "The apply set these manifests make up (default: the name of the first PATH, e.g. quickstart)")
    String set;

    @Option(names = "--prune", description = "Delete the objects an earlier apply of this set created that the manifests "
            + "no longer declare; an object annotated tidepool.io/prune: disabled is kept")
    boolean prune;

    @Option(names = "--allow-empty", description = "With --prune: allow deleting every object of the set")
    boolean allowEmpty;

    /** The set of these paths; a prune of manifests from stdin needs its name. */
    ApplySetChoice choose(List<String> paths) {
        ApplySetChoice choice = ApplySetChoice.of(set, paths);
        if (prune && choice.name() == null) {
            throw new CliException(ExitCode.INVALID, "--prune needs the apply set's name when the manifests come from stdin: "
                    + "pass --set NAME");
        }
        return choice;
    }

    ApplyOptions options(ApplySetChoice choice, boolean dryRun, Long expectRevision) {
        return new ApplyOptions(dryRun, choice.name(), prune, allowEmpty, expectRevision, choice.source());
    }
}
