package io.tidepool.manifests.cli;

import io.tidepool.api.resource.Kind;
import java.util.Arrays;
import java.util.stream.Collectors;

/** Reads a KIND argument, singular or plural, in any case. */
final class KindArgument {
    private KindArgument() {
    }

    static Kind parse(String text) {
        return Kind.ofAnyName(text).orElseThrow(() -> new CliException(ExitCode.INVALID,
                "unknown kind \"" + text + "\": expected one of "
                        + Arrays.stream(Kind.values()).map(Kind::plural).collect(Collectors.joining(", "))));
    }
}
