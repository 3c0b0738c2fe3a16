package io.tidepool.registry;

import io.tidepool.api.resource.Kind;
import io.tidepool.api.resource.Resource;
import io.tidepool.store.Compare;
import io.tidepool.store.Op;
import io.tidepool.store.Txn;
import java.util.ArrayList;
import java.util.List;

/**
 * One atomic write of resources that holds only if everything it was decided from is unchanged:
 * each object read is compared on its modify revision, each object created must not exist yet.
 * A failed compare means "read again and decide again", never a partial write.
 */
public final class ResourceTxn {
    private final List<Compare> compares = new ArrayList<>();
    private final List<Op> ops = new ArrayList<>();

    /** Writes {@code after} in place of {@code before}, which must still be the stored version. */
    public ResourceTxn update(Resource before, Resource after) {
        expectUnchanged(before);
        ops.add(ResourceRegistry.putOp(after));
        return this;
    }

    /** Writes a new object; the transaction fails if one of that name exists. */
    public ResourceTxn create(Resource resource) {
        compares.add(Compare.absent(ResourceKeys.key(resource.kind(), resource.name())));
        ops.add(ResourceRegistry.putOp(resource));
        return this;
    }

    /** Deletes {@code resource}, which must still be the stored version. */
    public ResourceTxn delete(Resource resource) {
        expectUnchanged(resource);
        ops.add(ResourceRegistry.deleteOp(resource.kind(), resource.name()));
        return this;
    }

    /** Requires {@code resource} to be unchanged since it was read, without writing it. */
    public ResourceTxn expectUnchanged(Resource resource) {
        compares.add(Compare.modRevisionIs(ResourceKeys.key(resource.kind(), resource.name()),
                resource.metadata().resourceVersion()));
        return this;
    }

    /** Requires that no object of this kind and name exists. */
    public ResourceTxn expectAbsent(Kind kind, String name) {
        compares.add(Compare.absent(ResourceKeys.key(kind, name)));
        return this;
    }

    public boolean isEmpty() {
        return ops.isEmpty();
    }

    /** Compares plus writes: what the store counts against its per-transaction limit. */
    public int size() {
        return compares.size() + ops.size();
    }

    public Txn toTxn() {
        return Txn.of(List.copyOf(compares), List.copyOf(ops));
    }
}
