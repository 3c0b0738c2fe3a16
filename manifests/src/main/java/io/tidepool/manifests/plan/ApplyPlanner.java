package io.tidepool.manifests.plan;

import io.tidepool.api.resource.Cell;
import io.tidepool.api.resource.Endpoint;
import io.tidepool.api.resource.Host;
import io.tidepool.api.resource.ObjectMeta;
import io.tidepool.api.resource.Resource;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Decides what an apply does to each declared object. Manifests own the spec, labels and
 * annotations; everything else (status, revisions, creation time) stays as the system wrote it, so
 * an apply never undoes what controllers did and an unchanged manifest writes nothing.
 */
public final class ApplyPlanner {

    private ApplyPlanner() {
    }

    /**
     * @param declared  the objects of the manifest set
     * @param liveByRef the stored objects, by {@code Kind/name}, for those of the set that exist
     * @param now       the creation time given to new objects
     */
    public static List<PlannedChange> plan(List<? extends Resource> declared, Map<String, Resource> liveByRef,
                                           Instant now) {
        return declared.stream().map(d -> planOne(d, liveByRef.get(d.ref()), now)).toList();
    }

    static PlannedChange planOne(Resource declared, Resource live, Instant now) {
        if (live == null) {
            ObjectMeta meta = declared.metadata().declaredOnly().withCreationTimestamp(now);
            return new PlannedChange(Action.CREATE, declared.withoutStatus().withMetadata(meta), null);
        }
        if (sameDeclaration(declared, live)) {
            return new PlannedChange(Action.UNCHANGED, live, live);
        }
        ObjectMeta meta = live.metadata()
                .withLabels(declared.metadata().labels())
                .withAnnotations(declared.metadata().annotations());
        return new PlannedChange(Action.CONFIGURE, withSpecOf(live, declared).withMetadata(meta), live);
    }

    /** Whether an apply of {@code declared} would change nothing that manifests own. */
    public static boolean sameDeclaration(Resource declared, Resource live) {
        return declared.metadata().labels().equals(live.metadata().labels())
                && declared.metadata().annotations().equals(live.metadata().annotations())
                && declared.spec().equals(live.spec());
    }

    private static Resource withSpecOf(Resource live, Resource declared) {
        if (live instanceof Cell l && declared instanceof Cell d) {
            return new Cell(l.metadata(), d.spec(), l.status());
        }
        if (live instanceof Host l && declared instanceof Host d) {
            return new Host(l.metadata(), d.spec(), l.status());
        }
        if (live instanceof Endpoint l && declared instanceof Endpoint d) {
            return new Endpoint(l.metadata(), d.spec(), l.status());
        }
        throw new IllegalArgumentException(declared.ref() + " cannot be applied: it is written by the system");
    }
}
