package io.tidepool.registry;

import io.tidepool.api.codec.ResourceJson;
import io.tidepool.api.resource.Kind;
import io.tidepool.api.resource.ObjectMeta;
import io.tidepool.api.resource.Resource;
import io.tidepool.store.KeyValue;
import io.tidepool.store.Op;
import io.tidepool.store.RangeResult;
import io.tidepool.store.Store;
import java.util.List;
import java.util.Optional;

/**
 * Typed access to resources in a {@link Store}. The store value holds everything but the revisions,
 * which are the key's own: {@code metadata.resourceVersion} is its modify revision and
 * {@code metadata.createRevision} its create revision, filled in on every read.
 */
public final class ResourceRegistry {
    private final Store store;

    public ResourceRegistry(Store store) {
        this.store = store;
    }

    public Store store() {
        return store;
    }

    public Optional<Resource> get(Kind kind, String name) {
        return store.get(ResourceKeys.key(kind, name)).map(ResourceRegistry::decode);
    }

    public <T extends Resource> Optional<T> get(Class<T> type, Kind kind, String name) {
        return get(kind, name).map(type::cast);
    }

    /** A page of one kind in name order, read at one revision; {@code limit} 0 lists all. */
    public Page list(Kind kind, String startAfterName, int limit) {
        String prefix = ResourceKeys.prefix(kind);
        RangeResult range = store.range(prefix, startAfterName == null ? null : prefix + startAfterName, limit);
        List<Resource> items = range.items().stream().map(ResourceRegistry::decode).toList();
        return new Page(items, range.revision(), range.more());
    }

    public List<Resource> listAll(Kind kind) {
        return list(kind, null, 0).items();
    }

    /** The write that stores {@code resource}; revisions in its metadata are not stored. */
    public static Op.Put putOp(Resource resource) {
        ObjectMeta meta = resource.metadata().withRevisions(0, 0);
        return new Op.Put(ResourceKeys.key(resource.kind(), resource.name()), ResourceJson.encode(resource.withMetadata(meta)));
    }

    public static Op.Delete deleteOp(Kind kind, String name) {
        return new Op.Delete(ResourceKeys.key(kind, name));
    }

    public static Resource decode(KeyValue kv) {
        // Only this registry writes resource keys, always through ResourceJson.encode.
        Resource resource = ResourceJson.decodeOwn(kv.value());
        return resource.withMetadata(resource.metadata().withRevisions(kv.modRevision(), kv.createRevision()));
    }

    /** @param more whether objects follow the last one of this page */
    public record Page(List<Resource> items, long revision, boolean more) {
    }
}
