package io.tidepool.buffer;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What this leader knows about one cell's hosts that the store does not hold: requests the
 * provider acknowledged and has not answered, hosts it made that are not written yet, hosts whose
 * release it has not confirmed, how it has fared lately, since when each host has been empty, and
 * the store revision the cache must reach before the cell is decided again (so that a host just
 * written is never missed and asked for twice). Soft state of one term of leadership; the
 * {@link BufferReconciler} says why losing it at a failover is safe.
 *
 * <p>Synchronized: a poll made while reconciling one cell delivers the outcomes of every cell that
 * shares the provider, so outcomes arrive here from other cells' reconciles.
 */
final class ProvisioningState {

    /** A host the provider made, to be written into the cell; {@code requestedThisTerm} false when a previous leader asked for it. */
    record Arrival(ProvisionOutcome.Provisioned outcome, boolean requestedThisTerm) {
    }

    private final Set<String> inFlight = new TreeSet<>();
    private final Map<String, Arrival> arrived = new LinkedHashMap<>();
    private final Set<String> releasesToRetry = new TreeSet<>();
    private final Map<String, Instant> emptySince = new HashMap<>();
    private ProviderHealth health = ProviderHealth.UNTRIED;
    private long awaitedRevision;

    synchronized void accepted(String requestId) {
        inFlight.add(requestId);
    }

    synchronized void refused(Instant at, String reason) {
        health = health.afterFailure(at, reason);
    }

    /** Takes the outcome of a request, made by this leader or an earlier one. */
    synchronized void answered(ProvisionOutcome outcome) {
        boolean ours = inFlight.remove(outcome.requestId());
        if (outcome instanceof ProvisionOutcome.Provisioned made) {
            arrived.put(made.host(), new Arrival(made, ours));
            health = health.afterSuccess(made.at());
        } else if (outcome instanceof ProvisionOutcome.Failed failed) {
            health = health.afterFailure(failed.at(), failed.reason());
        }
    }

    synchronized List<Arrival> arrivals() {
        return List.copyOf(arrived.values());
    }

    /** The host is in the store (written now, or found there): it counts as a host from here on. */
    synchronized void joined(String host) {
        arrived.remove(host);
    }

    /** Requests not answered, and hosts made but not written yet: both are on their way to the cell. */
    synchronized int onTheWay() {
        return inFlight.size() + arrived.size();
    }

    synchronized int unanswered() {
        return inFlight.size();
    }

    /** Whether the provider owes an answer or this leader owes a write: then the cell is looked at again soon. */
    synchronized boolean waitingOnProvider() {
        return !inFlight.isEmpty() || !arrived.isEmpty() || !releasesToRetry.isEmpty();
    }

    synchronized ProviderHealth health() {
        return health;
    }

    synchronized void releaseFailed(String host) {
        releasesToRetry.add(host);
    }

    synchronized void released(String host) {
        releasesToRetry.remove(host);
    }

    synchronized List<String> releasesToRetry() {
        return List.copyOf(releasesToRetry);
    }

    /**
     * Since when {@code host} has held no compute, as this leader has seen it: the first time it
     * saw it empty. A new leader starts the cool-down over, so it never gives back a host early.
     */
    synchronized Instant emptySince(String host, boolean holdsCompute, Instant now) {
        if (holdsCompute) {
            emptySince.remove(host);
            return null;
        }
        return emptySince.computeIfAbsent(host, h -> now);
    }

    /** Forgets hosts that left the cell. */
    synchronized void keepOnly(Set<String> hosts) {
        emptySince.keySet().retainAll(hosts);
    }

    synchronized void wrote(long revision) {
        awaitedRevision = Math.max(awaitedRevision, revision);
    }

    /** Whether the cache has not yet seen this leader's last host write for the cell. */
    synchronized boolean cacheBehind(long cacheRevision) {
        return cacheRevision < awaitedRevision;
    }
}
