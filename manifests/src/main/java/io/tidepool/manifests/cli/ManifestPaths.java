package io.tidepool.manifests.cli;

import java.util.List;
import picocli.CommandLine.Option;

/** The {@code -f PATH...} of the verbs that read manifests. */
public final class ManifestPaths {
    @Option(names = {"-f", "--filename"}, required = true, paramLabel = "PATH",
            description = "A manifest file, a directory (read recursively, .yaml/.yml) or - for stdin; repeatable")
    List<String> paths;
}
