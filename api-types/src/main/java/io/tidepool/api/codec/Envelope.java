package io.tidepool.api.codec;

import io.tidepool.api.resource.ApplySet;
import io.tidepool.api.resource.Cell;
import io.tidepool.api.resource.Compute;
import io.tidepool.api.resource.Endpoint;
import io.tidepool.api.resource.Event;
import io.tidepool.api.resource.Host;
import io.tidepool.api.resource.Kind;
import io.tidepool.api.resource.Migration;
import io.tidepool.api.resource.ObjectMeta;
import io.tidepool.api.resource.Resource;
import java.util.List;

/** The fields every document shares, and for each kind the types of its spec and status. */
final class Envelope {
    static final String API_VERSION = "apiVersion";
    static final String KIND = "kind";
    static final String METADATA = "metadata";
    static final String SPEC = "spec";
    static final String STATUS = "status";
    static final List<String> FIELDS = List.of(API_VERSION, KIND, METADATA, SPEC, STATUS);

    private Envelope() {
    }

    static Class<?> specType(Kind kind) {
        return switch (kind) {
            case CELL -> Cell.Spec.class;
            case HOST -> Host.Spec.class;
            case ENDPOINT -> Endpoint.Spec.class;
            case COMPUTE -> Compute.Spec.class;
            case MIGRATION -> Migration.Spec.class;
            case EVENT -> Event.Spec.class;
            case APPLY_SET -> ApplySet.Spec.class;
        };
    }

    static Class<?> statusType(Kind kind) {
        return switch (kind) {
            case CELL -> Cell.Status.class;
            case HOST -> Host.Status.class;
            case ENDPOINT -> Endpoint.Status.class;
            case COMPUTE -> Compute.Status.class;
            case MIGRATION -> Migration.Status.class;
            case EVENT -> Event.Status.class;
            case APPLY_SET -> ApplySet.Status.class;
        };
    }

    /** The resource of {@code kind}; spec and status must be of that kind's types (or null). */
    static Resource assemble(Kind kind, ObjectMeta metadata, Object spec, Object status) {
        return switch (kind) {
            case CELL -> new Cell(metadata, (Cell.Spec) spec, (Cell.Status) status);
            case HOST -> new Host(metadata, (Host.Spec) spec, (Host.Status) status);
            case ENDPOINT -> new Endpoint(metadata, (Endpoint.Spec) spec, (Endpoint.Status) status);
            case COMPUTE -> new Compute(metadata, (Compute.Spec) spec, (Compute.Status) status);
            case MIGRATION -> new Migration(metadata, (Migration.Spec) spec, (Migration.Status) status);
            case EVENT -> new Event(metadata, (Event.Spec) spec, (Event.Status) status);
            case APPLY_SET -> new ApplySet(metadata, (ApplySet.Spec) spec, (ApplySet.Status) status);
        };
    }
}
