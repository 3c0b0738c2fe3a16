package io.tidepool.manifests.cli;

import io.tidepool.api.resource.ApplySet;
import io.tidepool.api.resource.Kind;
import io.tidepool.api.validation.DnsLabel;
import io.tidepool.manifests.client.ApiClient;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Which apply set an {@code apply} records its objects in: the one {@code --set} names, or one
 * named after the manifests' path ({@code -f examples/quickstart} is set {@code quickstart}), so
 * that applying a directory and later applying it with {@code --prune} works with no more flags.
 * A name made up from a path is refused when that set was applied from another path: two
 * directories that share a name must not prune each other's objects.
 *
 * @param name    the set's name, or null when the manifests come from stdin and no set was named
 * @param derived whether the name was made up from the path rather than given
 * @param source  what the set records as where its manifests come from (the absolute paths)
 */
record ApplySetChoice(String name, boolean derived, ApplySet.Source source) {

    static ApplySetChoice of(String explicit, List<String> paths) {
        ApplySet.Source source = paths.contains("-") ? null : new ApplySet.Source(null, null,
                paths.stream().map(p -> Path.of(p).toAbsolutePath().normalize().toString()).collect(Collectors.joining(", ")),
                null);
        if (explicit != null) {
            if (!DnsLabel.isValid(explicit)) {
                throw new CliException(ExitCode.INVALID, "--set: expected " + DnsLabel.RULE + ", got \"" + explicit + "\""
                        + DnsLabel.nearest(explicit).map(s -> "; did you mean " + s + "?").orElse(""));
            }
            return new ApplySetChoice(explicit, false, source);
        }
        if (source == null) {
            return new ApplySetChoice(null, false, null);
        }
        Path first = Path.of(paths.get(0)).toAbsolutePath().normalize();
        String base = first.getFileName() == null ? "" : first.getFileName().toString().replaceFirst("\\.(ya?ml)$", "");
        String name = DnsLabel.nearest(base).orElseThrow(() -> new CliException(ExitCode.INVALID,
                "cannot name an apply set after " + paths.get(0) + ": pass --set NAME"));
        return new ApplySetChoice(name, true, source);
    }

    /** Refuses a made-up name that another path's set already has. */
    void checkOwnership(ApiClient api) {
        if (!derived) {
            return;
        }
        Optional<ApplySet> stored = api.get(Kind.APPLY_SET, name).map(ApplySet.class::cast);
        Optional<String> storedPath = stored.map(ApplySet::spec).map(ApplySet.Spec::source)
                .filter(s -> s.repo() == null).map(ApplySet.Source::path);
        if (stored.isPresent() && !Objects.equals(storedPath.orElse(null), source.path())) {
            ApplySet.Source other = stored.get().spec().source();
            throw new CliException(ExitCode.INVALID, "apply set " + name + " was applied from "
                    + (other == null ? "another source" : describe(other)) + ", not from " + source.path()
                    + ": name this set with --set NAME");
        }
    }

    private static String describe(ApplySet.Source source) {
        return source.repo() != null ? source.repo() + (source.path() == null ? "" : " (" + source.path() + ")") : source.path();
    }
}
