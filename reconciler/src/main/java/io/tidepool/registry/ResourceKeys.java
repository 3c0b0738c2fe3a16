package io.tidepool.registry;

import io.tidepool.api.resource.Kind;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** Where each resource lives in the store: {@code /tidepool/v1/<plural>/<name>}. */
public final class ResourceKeys {
    public static final String ROOT = "/tidepool/v1/";
    private static final Map<String, Kind> BY_PLURAL = Arrays.stream(Kind.values())
            .collect(Collectors.toUnmodifiableMap(Kind::plural, kind -> kind));

    private ResourceKeys() {
    }

    public static String key(Kind kind, String name) {
        return prefix(kind) + name;
    }

    public static String prefix(Kind kind) {
        return ROOT + kind.plural() + "/";
    }

    /** The kind and name a key stores, if it is a resource key. */
    public static Optional<Ref> parse(String key) {
        if (!key.startsWith(ROOT)) {
            return Optional.empty();
        }
        String rest = key.substring(ROOT.length());
        int slash = rest.indexOf('/');
        if (slash < 0) {
            return Optional.empty();
        }
        // A map, not Kind.ofAnyName: the fleet cache parses the key of every change it sees.
        Kind kind = BY_PLURAL.get(rest.substring(0, slash));
        return kind == null ? Optional.empty() : Optional.of(new Ref(kind, rest.substring(slash + 1)));
    }

    public record Ref(Kind kind, String name) {
        @Override
        public String toString() {
            return kind.displayName() + "/" + name;
        }
    }
}
