package io.tidepool.sim;

import io.tidepool.agent.ControlPlaneLink;
import io.tidepool.api.agent.ComputeMetrics;
import io.tidepool.api.agent.UpscaleRequest;
import io.tidepool.api.resource.Compute;
import io.tidepool.api.resource.Host;
import io.tidepool.api.resource.Kind;
import io.tidepool.control.FleetCache;
import io.tidepool.reconcile.Informer;
import io.tidepool.registry.ResourceRegistry;
import io.tidepool.registry.ResourceTxn;
import io.tidepool.store.StoreException;
import io.tidepool.telemetry.Telemetry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The control plane as host agents in its own process reach it: the same calls the REST API serves
 * to remote agents, on the store and the current leader's telemetry. Simulated fleets step it on a
 * manual clock; {@code tidepool up} on a real-time timer. Hosts can be cut off from it (a network
 * partition) to test fencing. Assignments come from one compute informer shared by all agents, as
 * a remote agent's watch of its own computes would deliver them; whoever steps the agents calls
 * {@link #pump} before each round, so one thread owns the informer and the agents.
 */
public final class InProcessLink implements ControlPlaneLink, AutoCloseable {
    private static final int REPORT_ATTEMPTS = 5;
    private static final Duration CATCH_UP_POLL = Duration.ofMillis(10);

    private final ResourceRegistry registry;
    private final Supplier<Telemetry> leaderTelemetry;
    private final Informer<Compute> computes;
    private final Set<String> cutOff = ConcurrentHashMap.newKeySet();

    /** @param leaderTelemetry the current leader's soft state, or null while there is no leader */
    public InProcessLink(ResourceRegistry registry, Supplier<Telemetry> leaderTelemetry) {
        this.registry = registry;
        this.leaderTelemetry = leaderTelemetry;
        this.computes = new Informer<>(registry, Kind.COMPUTE, Compute.class);
        computes.addIndex(FleetCache.BY_HOST, c -> c.spec().host() == null ? Set.of() : Set.of(c.spec().host()));
        computes.start();
    }

    /** Applies the compute changes the store has made since the last call. */
    public void pump() throws InterruptedException {
        pump(Duration.ZERO);
    }

    /**
     * Applies the compute changes the store has made since the last call, waiting up to
     * {@code wait} for the first; returns how many computes changed.
     */
    public int pump(Duration wait) throws InterruptedException {
        int changed = computes.pump(wait);
        int more;
        while ((more = computes.pump(Duration.ZERO)) > 0) {
            changed += more;
        }
        return changed;
    }

    /**
     * Applies compute changes until this view holds every one up to {@code revision}: agents that
     * watch another replica than the leader's see its writes a moment later, and a simulated step
     * stands for seconds in which they would have arrived.
     *
     * @throws IllegalStateException when they have not arrived within {@code timeout}
     */
    public void catchUp(long revision, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        pump();
        while (computes.revision() < revision) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("the agents' view of computes is at revision " + computes.revision()
                        + ", not at " + revision + " after " + timeout);
            }
            computes.pump(CATCH_UP_POLL);
        }
    }

    public void cutOff(String host) {
        cutOff.add(host);
    }

    public void reconnect(String host) {
        cutOff.remove(host);
    }

    @Override
    public void register(Host host) {
        reachable(host.name());
        try {
            if (registry.get(Kind.HOST, host.name()).isEmpty()) {
                registry.store().txn(new ResourceTxn().create(host).toTxn());
            }
        } catch (StoreException e) {
            throw unreachable(e);
        }
    }

    @Override
    public List<Compute> assigned(String host) {
        reachable(host);
        return computes.byIndex(FleetCache.BY_HOST, host);
    }

    /**
     * Writes the compute's status, compared with the agents' own copy first (current, unless the
     * control plane changed the compute since the last pump): most reports then cost one write and
     * no read. A lost compare, or a copy that already says so, is checked against the store.
     */
    @Override
    public boolean report(String name, Compute.Status status) {
        try {
            return tryReport(name, status);
        } catch (StoreException e) {
            throw unreachable(e);
        }
    }

    private boolean tryReport(String name, Compute.Status status) {
        Compute compute = computes.get(name).orElse(null);
        for (int attempt = 0; attempt < REPORT_ATTEMPTS; attempt++) {
            if (compute == null || Objects.equals(compute.status(), status)) {
                compute = registry.get(Compute.class, Kind.COMPUTE, name).orElse(null);
            }
            if (compute == null) {
                return false;
            }
            reachable(compute.spec().host());
            if (Objects.equals(compute.status(), status)) {
                return true;
            }
            if (registry.store().txn(new ResourceTxn().update(compute, compute.withStatus(status)).toTxn()).succeeded()) {
                return true;
            }
            compute = null;
        }
        return false;
    }

    @Override
    public void heartbeat(String host, Instant at, Map<String, ComputeMetrics> metrics) {
        reachable(host);
        Telemetry telemetry = leaderTelemetry.get();
        if (telemetry == null) {
            throw new UnreachableException("no leader");
        }
        telemetry.heartbeat(host, at);
        metrics.forEach((compute, sample) -> computes.get(compute)
                .ifPresent(c -> telemetry.record(compute, c.spec().endpoint(), sample)));
    }

    @Override
    public void requestUpscale(String compute, UpscaleRequest request) {
        computes.get(compute).ifPresent(c -> reachable(c.spec().host()));
        Telemetry telemetry = leaderTelemetry.get();
        if (telemetry == null) {
            throw new UnreachableException("no leader");
        }
        telemetry.upscaleRequested(compute, request);
    }

    @Override
    public void close() {
        computes.close();
    }

    // A store without a quorum is, to an agent, a control plane it cannot reach: it fences after its lease.
    private static UnreachableException unreachable(StoreException e) {
        return new UnreachableException("the store is unavailable: " + e.getMessage());
    }

    private void reachable(String host) {
        if (host != null && cutOff.contains(host)) {
            throw new UnreachableException(host + " is cut off from the control plane");
        }
    }
}
