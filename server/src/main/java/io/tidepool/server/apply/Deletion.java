package io.tidepool.server.apply;

import io.tidepool.api.resource.Kind;
import io.tidepool.api.resource.Resource;
import io.tidepool.registry.ResourceKeys;
import io.tidepool.store.Op;
import io.tidepool.store.Store;
import java.util.ArrayList;
import java.util.List;

/**
 * What deleting one object by hand writes: the object; for a declarable one its declared marker
 * (so drift and expect-revision see the deletion); for an apply set its inventory too, so a set
 * made again under the same name starts empty rather than inheriting members it could prune.
 */
public final class Deletion {

    private Deletion() {
    }

    public static List<Op> ops(Store store, Resource live) {
        List<Op> ops = new ArrayList<>();
        ops.add(new Op.Delete(ResourceKeys.key(live.kind(), live.name())));
        if (live.kind().declarable()) {
            ops.add(DeclaredMarkers.deleted(live.kind(), live.name()));
        }
        if (live.kind() == Kind.APPLY_SET) {
            Inventory.read(store, live.name()).values().forEach(member ->
                    ops.add(new Op.Delete(Inventory.key(live.name(), member.ref()))));
        }
        return ops;
    }
}
