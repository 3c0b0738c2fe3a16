package io.tidepool.api.resource;

import io.tidepool.api.quantity.Cu;
import java.util.List;

/** One running instance of an endpoint on a host. Written by controllers, never by manifests. */
public record Compute(ObjectMeta metadata, Spec spec, Status status) implements Resource {

    /**
     * @param cu       the size the host must provide: granted by admission when it grows; lowered by
     *                 autoscale, and released from the host's ledger only once the host confirms it
     * @param epoch    fencing token: the endpoint's epoch when this compute was placed; only the
     *                 compute of the endpoint's current epoch may serve as its primary
     * @param postgres the Postgres version and settings this compute runs with; a difference from
     *                 the endpoint's that needs a restart is what planned restarts act on
     */
    public record Spec(String endpoint, String host, Cu cu, Role role, long epoch, Endpoint.Postgres postgres) {
    }

    /**
     * {@code primary} serves the endpoint; a {@code replacement} starts beside it and warms up to
     * take over; a {@code fenced} former primary must stop serving (its host agent stops it and
     * reports Stopped) before its replacement is promoted, so two never serve at once.
     */
    public enum Role { primary, replacement, fenced }

    public enum Phase { Pending, Starting, Running, Stopping, Stopped, Failed }

    /**
     * Condition a host agent reports while its driver cannot run the compute, with the driver's
     * reason. It stays, with the time it first appeared, through the driver's own retries until a
     * start succeeds: how long a compute has been failing is what decides when to give up on it.
     */
    public static final String CANNOT_RUN = "CannotRun";

    /**
     * What the host agent observed, which may lag the spec.
     *
     * @param cu   the size the driver and the guest confirmed
     * @param warm whether the compute has loaded the pages its endpoint needs (a replacement is
     *             switched to only once warm)
     */
    public record Status(Phase phase, Cu cu, String address, Boolean warm, List<Condition> conditions) {
        public Status {
            conditions = conditions == null ? List.of() : List.copyOf(conditions);
        }
    }

    @Override
    public Kind kind() {
        return Kind.COMPUTE;
    }

    @Override
    public Compute withMetadata(ObjectMeta newMetadata) {
        return new Compute(newMetadata, spec, status);
    }

    @Override
    public Compute withoutStatus() {
        return new Compute(metadata, spec, null);
    }

    public Compute withStatus(Status newStatus) {
        return new Compute(metadata, spec, newStatus);
    }
}
