package io.tidepool.server.apply;

import io.tidepool.api.resource.Kind;
import io.tidepool.api.resource.Resource;
import io.tidepool.registry.ResourceKeys;
import io.tidepool.registry.ResourceRegistry;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads the stored versions of the objects a manifest set names: one by one when there are a
 * few of a kind, one range when there are many (reading 100,000 endpoints for a three-object apply
 * would cost more than the apply).
 */
final class LiveObjects {
    private static final int RANGE_ABOVE = 64;
    private final ResourceRegistry registry;

    LiveObjects(ResourceRegistry registry) {
        this.registry = registry;
    }

    /** The stored objects among {@code declared}, by {@code Kind/name}. */
    Map<String, Resource> read(List<Resource> declared) {
        return readRefs(declared.stream().map(r -> new ResourceKeys.Ref(r.kind(), r.name())).toList());
    }

    /** The stored objects among {@code refs}, by {@code Kind/name}. */
    Map<String, Resource> readRefs(Collection<ResourceKeys.Ref> refs) {
        Map<String, Resource> live = new HashMap<>();
        Map<Kind, List<ResourceKeys.Ref>> byKind = refs.stream().collect(Collectors.groupingBy(ResourceKeys.Ref::kind));
        byKind.forEach((kind, named) -> {
            if (named.size() > RANGE_ABOVE) {
                Set<String> names = named.stream().map(ResourceKeys.Ref::name).collect(Collectors.toSet());
                registry.listAll(kind).stream().filter(r -> names.contains(r.name()))
                        .forEach(r -> live.put(r.ref(), r));
            } else {
                named.forEach(ref -> registry.get(kind, ref.name()).ifPresent(r -> live.put(r.ref(), r)));
            }
        });
        return live;
    }
}
