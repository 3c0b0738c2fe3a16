package io.tidepool.switchover;

import io.tidepool.api.quantity.Cu;
import io.tidepool.api.resource.Cell;
import io.tidepool.api.resource.Compute;
import io.tidepool.api.resource.Condition;
import io.tidepool.api.resource.Endpoint;
import io.tidepool.endpoint.ClientAddresses;
import io.tidepool.api.resource.Host;
import io.tidepool.api.resource.ObjectMeta;
import io.tidepool.capacity.HostCapacity;
import io.tidepool.capacity.HostRoom;
import io.tidepool.capacity.Ledger;
import io.tidepool.registry.ResourceTxn;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Replacing an endpoint's primary with a new compute, the step planned restarts and migrations
 * share. The replacement is started with its CU granted on its host in the same transaction (so it
 * can never overcommit the host), switched to once warm, or abandoned. The switch has two steps:
 * the old primary is fenced and its host stops it; then one transaction promotes the replacement
 * (which loses its purpose label), moves the endpoint's epoch and claim to it and deletes the old
 * primary. Neither the store nor the hosts ever have two primaries of one endpoint serving; the old
 * host's ledger is released afterwards by the ledger sync, as for any deleted compute.
 */
public final class Switchover {
    /** Which controller a replacement belongs to: each leaves the other's replacements alone. */
    public static final String PURPOSE_LABEL = "tidepool.io/replacement-for";

    public enum Purpose {
        restart, migration;

        public static Optional<Purpose> of(Compute compute) {
            String value = compute.metadata().labels().get(PURPOSE_LABEL);
            if (value == null) {
                return Optional.empty();
            }
            for (Purpose purpose : values()) {
                if (purpose.name().equals(value)) {
                    return Optional.of(purpose);
                }
            }
            return Optional.empty();
        }
    }

    private Switchover() {
    }

    /**
     * The epoch of the next compute of an endpoint: above the endpoint's and above every compute it
     * has, so a replacement and a primary placed after a host failure never share a name or an epoch.
     */
    public static long nextEpoch(Endpoint endpoint, Collection<Compute> computesOfEndpoint) {
        long epoch = endpoint.status() == null || endpoint.status().epoch() == null ? 0 : endpoint.status().epoch();
        for (Compute compute : computesOfEndpoint) {
            epoch = Math.max(epoch, compute.spec().epoch());
        }
        return epoch + 1;
    }

    public static String computeName(String endpoint, long epoch) {
        return endpoint + "-" + epoch;
    }

    /** The endpoint's replacement of this purpose, if one exists. */
    public static Optional<Compute> replacementOf(Collection<Compute> computesOfEndpoint, Purpose purpose) {
        return computesOfEndpoint.stream()
                .filter(c -> c.spec().role() == Compute.Role.replacement)
                .filter(c -> Purpose.of(c).orElse(null) == purpose)
                .findFirst();
    }

    /**
     * Adds to {@code txn} the creation of a replacement of {@code cu} on {@code target} with its
     * ledger raised; empty (and {@code txn} untouched) when the host has no room for it.
     */
    public static Optional<Compute> start(ResourceTxn txn, Endpoint endpoint, long epoch, Host target, Cell cell,
                                          Cu cu, Endpoint.Postgres postgres, Purpose purpose, Instant now) {
        HostRoom room = HostCapacity.roomOf(target, cell);
        if (room.free().compareTo(cu) < 0) {
            return Optional.empty();
        }
        Compute replacement = new Compute(
                ObjectMeta.named(computeName(endpoint.name(), epoch))
                        .withLabels(Map.of(PURPOSE_LABEL, purpose.name()))
                        .withCreationTimestamp(now),
                new Compute.Spec(endpoint.name(), target.name(), cu, Compute.Role.replacement, epoch, postgres), null);
        txn.create(replacement);
        txn.update(target, Ledger.withLedger(target, room.allocated().plus(cu), room.capacity()));
        return Optional.of(replacement);
    }

    /** Whether the replacement runs and has loaded what its endpoint needs: the only time to switch. */
    public static boolean ready(Compute replacement) {
        Compute.Status status = replacement.status();
        return status != null && status.phase() == Compute.Phase.Running && Boolean.TRUE.equals(status.warm());
    }

    /**
     * Adds the fencing of the primary to {@code txn}: its host agent stops it and reports Stopped,
     * and only then is the replacement promoted. A host that cannot hear this stops the primary by
     * itself when its lease runs out; until then the switch waits, so two never serve at once.
     */
    public static void fence(ResourceTxn txn, Compute primary) {
        txn.update(primary, withRole(primary, Compute.Role.fenced));
    }

    /** The switch failed before promotion: the fenced primary serves again (its agent restarts it). */
    public static void unfence(ResourceTxn txn, Compute fenced) {
        txn.update(fenced, withRole(fenced, Compute.Role.primary));
    }

    /** Whether a fenced primary's host has confirmed that it stopped. */
    public static boolean stopped(Compute fenced) {
        return fenced.spec().role() == Compute.Role.fenced && fenced.status() != null
                && fenced.status().phase() == Compute.Phase.Stopped;
    }

    /**
     * What the store says of a replacement the moment it is promoted: Starting, until its host
     * reports it running as the primary. It ran as a standby (or not at all) until now, and the
     * proxy routes clients to a primary that says Running: a standby would refuse their writes.
     */
    static Compute.Status takingOver(Compute.Status observed) {
        if (observed == null) {
            return null;
        }
        return new Compute.Status(Compute.Phase.Starting, observed.cu(), observed.address(), false, observed.conditions());
    }

    private static Compute withRole(Compute compute, Compute.Role role) {
        Compute.Spec s = compute.spec();
        return new Compute(compute.metadata(), new Compute.Spec(s.endpoint(), s.host(), s.cu(), role, s.epoch(),
                s.postgres()), compute.status());
    }

    /**
     * Adds the switch to {@code txn}, once the old primary is fenced and stopped: the replacement becomes primary at the larger of its size and
     * the old primary's granted size (the primary may have grown while it warmed; the growth is
     * admitted on the target here, or left to the autoscaler when it does not fit), the endpoint
     * points at it with {@code conditions}, and the old primary goes. Returns the size the new
     * primary gets.
     */
    public static Cu complete(ResourceTxn txn, Endpoint endpoint, Compute primary, Compute replacement,
                              Host target, Cell cell, List<Condition> conditions, ClientAddresses addresses) {
        Cu cu = replacement.spec().cu();
        Cu wanted = primary.spec().cu();
        if (wanted.compareTo(cu) > 0) {
            Cu held = Ledger.holds(replacement);
            if (wanted.compareTo(held) <= 0) {
                cu = wanted;
            } else if (target != null && cell != null) {
                HostRoom room = HostCapacity.roomOf(target, cell);
                Cu growth = wanted.minus(held);
                if (room.free().compareTo(growth) >= 0) {
                    txn.update(target, Ledger.withLedger(target, room.allocated().plus(growth), room.capacity()));
                    cu = wanted;
                }
            }
        }
        Compute.Spec s = replacement.spec();
        Map<String, String> labels = new TreeMap<>(replacement.metadata().labels());
        labels.remove(PURPOSE_LABEL);
        txn.update(replacement, new Compute(replacement.metadata().withLabels(labels),
                new Compute.Spec(s.endpoint(), s.host(), cu, Compute.Role.primary, s.epoch(), s.postgres()),
                takingOver(replacement.status())));
        txn.delete(primary);
        Endpoint.Status e = endpoint.status();
        Compute.Status observed = replacement.status();
        // Restarting or Migrating until the new primary's host says it runs as the primary.
        Endpoint.Phase phase = Purpose.of(replacement).map(p -> p == Purpose.migration ? Endpoint.Phase.Migrating
                : Endpoint.Phase.Restarting).orElse(Endpoint.Phase.Running);
        txn.update(endpoint, endpoint.withStatus(new Endpoint.Status(phase, s.host(),
                observed != null && observed.cu() != null ? observed.cu() : cu,
                addresses.address(endpoint.name(), observed == null ? null : observed.address()), conditions, e.lastDecision(), replacement.name(),
                s.epoch(), e.resumeRequestedAt())));
        return cu;
    }
}
