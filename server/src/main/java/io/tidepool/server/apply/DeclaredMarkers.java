package io.tidepool.server.apply;

import io.tidepool.api.resource.Kind;
import io.tidepool.api.resource.Resource;
import io.tidepool.manifests.plan.DeclaredHash;
import io.tidepool.registry.ResourceKeys;
import io.tidepool.registry.ResourceRegistry;
import io.tidepool.store.KeyValue;
import io.tidepool.store.Op;
import io.tidepool.store.Store;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Beside each declarable object, a small key that changes exactly when what manifests own of the
 * object changes (an apply, a put, a delete), never when controllers write its status. Its modify
 * revision says when the declared part last changed, which {@code apply --expect-revision} checks;
 * its value is the object's {@link DeclaredHash} ({@value #DELETED} once deleted), which drift
 * compares with what an apply set applied.
 */
public final class DeclaredMarkers {
    static final String PREFIX = "/tidepool/declared/";
    static final String DELETED = "deleted";

    private DeclaredMarkers() {
    }

    static String key(Kind kind, String name) {
        return PREFIX + kind.plural() + "/" + name;
    }

    /** The marker write that goes with storing {@code next}'s declared part. */
    static Op.Put written(Resource next) {
        return new Op.Put(key(next.kind(), next.name()), DeclaredHash.of(next).getBytes(StandardCharsets.UTF_8));
    }

    /** The marker write that goes with deleting the object. */
    public static Op.Put deleted(Kind kind, String name) {
        return new Op.Put(key(kind, name), DELETED.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The revision at which the declared part of {@code Kind/name} last changed, at or after which
     * {@code live} (null when absent) was read. Without a marker (an object a host agent or a
     * provider created, or one stored before markers existed) it is the object's own last write,
     * which may be a status write: a conservative answer that can refuse, never miss, a change.
     */
    static long lastChange(Store store, ResourceKeys.Ref ref, Resource live) {
        Optional<KeyValue> marker = store.get(key(ref.kind(), ref.name()));
        if (marker.isPresent()) {
            return marker.get().modRevision();
        }
        return live == null ? 0 : live.metadata().resourceVersion();
    }

    /** What the object declares now: its hash, or {@value #DELETED}; read from the object itself without a marker. */
    static String current(ResourceRegistry registry, ResourceKeys.Ref ref) {
        return registry.store().get(key(ref.kind(), ref.name()))
                .map(kv -> new String(kv.value(), StandardCharsets.UTF_8))
                .orElseGet(() -> registry.get(ref.kind(), ref.name()).map(DeclaredHash::of).orElse(DELETED));
    }
}
