package io.tidepool.manifests.cli;

import picocli.CommandLine.Option;

/** {@code -o FORMAT} and {@code --no-color}, for the verbs that print objects or changes. */
public final class OutputOptions {
    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
            description = "table (for people), yaml, json or name (Kind/name per line) (default: ${DEFAULT-VALUE})")
    OutputFormat format;

    @Option(names = "--no-color", description = "Never colour the output (it is coloured only on a terminal, and not when NO_COLOR is set)")
    boolean noColor;

    Palette palette() {
        return format == OutputFormat.table
                ? Palette.choose(noColor, System.getenv(), System.console() != null) : Palette.PLAIN;
    }
}
