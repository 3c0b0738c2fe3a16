package io.tidepool.registry;

import io.tidepool.api.resource.Kind;
import java.util.Optional;

/** Where each resource lives in the store: {@code /tidepool/v1/<plural>/<name>}. */
public final class ResourceKeys {
    public static final String ROOT = "/tidepool/v1/";

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
        return Kind.ofAnyName(rest.substring(0, slash))
                .filter(k -> k.plural().equals(rest.substring(0, slash)))
                .map(k -> new Ref(k, rest.substring(slash + 1)));
    }

    public record Ref(Kind kind, String name) {
        @Override
        public String toString() {
            return kind.displayName() + "/" + name;
        }
    }
}
