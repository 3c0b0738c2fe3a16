package io.tidepool.control;

import io.tidepool.api.resource.Compute;
import io.tidepool.api.resource.Endpoint;
import io.tidepool.api.resource.Host;
import io.tidepool.api.resource.Migration;
import io.tidepool.autoscale.AutoscaleReconciler;
import io.tidepool.autoscale.ScalingPolicy;
import io.tidepool.buffer.BufferReconciler;
import io.tidepool.buffer.HostProviders;
import io.tidepool.capacity.LedgerReconciler;
import io.tidepool.endpoint.ClientAddresses;
import io.tidepool.endpoint.EndpointReconciler;
import io.tidepool.event.EventLog;
import io.tidepool.health.HostHealthReconciler;
import io.tidepool.migration.MigrationReconciler;
import io.tidepool.migration.MigrationSettings;
import io.tidepool.placement.PendingEndpoints;
import io.tidepool.placement.PlacementReconciler;
import io.tidepool.reconcile.Backoff;
import io.tidepool.reconcile.Controller;
import io.tidepool.reconcile.ControllerObserver;
import io.tidepool.reconcile.Reconciler;
import io.tidepool.reconcile.WorkQueue;
import io.tidepool.registry.ResourceRegistry;
import io.tidepool.restart.RestartReconciler;
import io.tidepool.restart.RestartSettings;
import io.tidepool.store.Store;
import io.tidepool.switchover.Switchover;
import io.tidepool.telemetry.Telemetry;
import io.tidepool.timeline.Timelines;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tidepool's controllers for one term of leadership, wired to one fleet cache: which change queues
 * which key of which controller. Run it with worker threads ({@link #start}), or step it from a
 * simulation ({@link #runUntilQuiet}) on a manual clock. A new term gets a new ControlLoop, so soft
 * state is never carried over.
 */
public final class ControlLoop implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ControlLoop.class);

    /**
     * @param grace          heartbeats missing this long make a host not ready
     * @param resyncInterval every key is looked at again this often, whatever happened
     * @param migrations     the migration caps, timeout and retention
     * @param restarts       the prewarm lead and the per-cell limit of planned restarts
     * @param buffer         the pool buffer's cool-down, backoff and polling
     */
    public record Settings(Duration grace, Duration resyncInterval, int workersPerController, ScalingPolicy scaling,
                           MigrationSettings migrations, RestartSettings restarts, BufferReconciler.Settings buffer) {
        public static final Settings DEFAULT = new Settings(Duration.ofSeconds(30), Duration.ofMinutes(5), 2,
                ScalingPolicy.DEFAULT, MigrationSettings.DEFAULT, RestartSettings.DEFAULT, BufferReconciler.Settings.DEFAULT);

        public Settings withScaling(ScalingPolicy newScaling) {
            return new Settings(grace, resyncInterval, workersPerController, newScaling, migrations, restarts, buffer);
        }

        public Settings withRestarts(RestartSettings newRestarts) {
            return new Settings(grace, resyncInterval, workersPerController, scaling, migrations, newRestarts, buffer);
        }

        public Settings withMigrations(MigrationSettings newMigrations) {
            return new Settings(grace, resyncInterval, workersPerController, scaling, newMigrations, restarts, buffer);
        }

        public Settings withBuffer(BufferReconciler.Settings newBuffer) {
            return new Settings(grace, resyncInterval, workersPerController, scaling, migrations, restarts, newBuffer);
        }
    }

    private final FleetCache cache;
    private final Telemetry telemetry;
    private final Settings settings;
    private final PlacementReconciler placementReconciler;
    private final Controller<String> placement;
    private final Controller<String> ledger;
    private final Controller<String> health;
    private final Controller<String> endpoints;
    private final Controller<String> autoscale;
    private final Controller<String> migration;
    private final Controller<String> restart;
    private final AutoscaleReconciler autoscaler;
    private final MigrationReconciler migrator;
    private final RestartReconciler restarter;
    private final Controller<String> buffer;
    private final BufferReconciler bufferReconciler;
    private final FleetHistory history;
    private final List<Controller<String>> controllers = new ArrayList<>();
    private final ControlObservers observers;
    private Thread pump;
    private volatile boolean running;

    /** A control loop for a fleet whose hosts all register themselves: no cell has a provider. */
    public ControlLoop(Store store, InstantSource clock, Telemetry telemetry, Settings settings) {
        this(store, clock, telemetry, settings, HostProviders.none());
    }

    /** @param providers where cells that do not register their own hosts get them from */
    public ControlLoop(Store store, InstantSource clock, Telemetry telemetry, Settings settings, HostProviders providers) {
        this(store, clock, telemetry, settings, providers, ControlObservers.NONE);
    }

    /** @param observers hear what the controllers of this term do, for metrics */
    public ControlLoop(Store store, InstantSource clock, Telemetry telemetry, Settings settings, HostProviders providers,
                       ControlObservers observers) {
        this(store, clock, telemetry, settings, providers, observers, ClientAddresses.NONE);
    }

    /** @param addresses the endpoints' stable addresses, when an endpoint proxy serves them */
    public ControlLoop(Store store, InstantSource clock, Telemetry telemetry, Settings settings, HostProviders providers,
                       ControlObservers observers, ClientAddresses addresses) {
        this.cache = new FleetCache(new ResourceRegistry(store));
        this.telemetry = telemetry;
        this.settings = settings;
        this.observers = observers;
        placementReconciler = new PlacementReconciler(cache, new PendingEndpoints(cache), store, clock);
        placement = controller("placement", clock, placementReconciler);
        ledger = controller("ledger", clock, new LedgerReconciler(cache, store));
        health = controller("host-health", clock, new HostHealthReconciler(cache, store, telemetry, clock, settings.grace()));
        endpoints = controller("endpoint", clock, new EndpointReconciler(cache, store, telemetry, clock, addresses));
        autoscaler = new AutoscaleReconciler(cache, store, settings.scaling(), clock, observers.scaling());
        autoscale = controller("autoscale", clock, autoscaler);
        migrator = new MigrationReconciler(cache, store, telemetry, clock, settings.migrations(), observers.migrations(),
                addresses);
        migration = controller("migration", clock, migrator);
        restarter = new RestartReconciler(cache, store, clock, settings.restarts(), observers.restarts(), addresses);
        restart = controller("restart", clock, restarter);
        bufferReconciler = new BufferReconciler(cache, store, providers, clock, settings.buffer());
        buffer = controller("buffer", clock, bufferReconciler);
        history = new FleetHistory(store, cache, clock, endpoint -> restarter.lastDecision(endpoint).map(d -> d.explanation()));
        wire();
    }

    public FleetCache cache() {
        return cache;
    }

    public Telemetry telemetry() {
        return telemetry;
    }

    /** The autoscaler's latest decisions, holds included, for describe. */
    public AutoscaleReconciler autoscaler() {
        return autoscaler;
    }

    /** The latest migration plan per cell, for describe. */
    public MigrationReconciler migrator() {
        return migrator;
    }

    /** The latest planned-restart decision per endpoint, for describe. */
    public RestartReconciler restarter() {
        return restarter;
    }

    /** The pool buffer's latest decisions per cell, for describe. */
    public BufferReconciler buffer() {
        return bufferReconciler;
    }

    /** What the controllers did, kept as Event objects; a simulation that wants them stored calls {@link EventLog#flush}. */
    public EventLog events() {
        return history.events();
    }

    /** Each endpoint's recent CU, load, memory and what happened to it, for the console and the timeline API. */
    public Timelines timelines() {
        return history.timelines();
    }

    public List<Controller<String>> controllers() {
        return List.copyOf(controllers);
    }

    /** Lists the fleet and queues every key once; in a simulation, call before the first step. */
    public void prime() {
        cache.start();
    }

    /**
     * Pumps the cache and drains every controller until nothing is left to do now (keys due later
     * stay queued). Returns how many reconciles it ran; throws if that does not settle, which would
     * be a controller that keeps re-queueing itself.
     */
    public int runUntilQuiet() throws InterruptedException {
        return runUntilQuiet(() -> { });
    }

    /**
     * As {@link #runUntilQuiet()}, and the cache catches up with the store before every key, as the
     * pump thread of a running leader keeps it current while workers reconcile: a controller then
     * sees its own earlier writes, and a controller that writes a lot never lets the cache's watch
     * fall so far behind that it must list everything again. {@code alsoBetweenKeys} runs there too
     * (a simulation keeps its host agents' view current).
     */
    public int runUntilQuiet(Controller.BeforeEachKey alsoBetweenKeys) throws InterruptedException {
        return runUntilQuiet(alsoBetweenKeys, 1, null);
    }

    /**
     * As {@link #runUntilQuiet(Controller.BeforeEachKey)}, with up to {@code workers} keys of each
     * controller reconciled at once on {@code executor}. Each worker catches the cache up before
     * each key, one at a time; keys reconciled at the same moment may still decide from the same
     * copy and race, as on a running leader, and the loser retries.
     */
    public int runUntilQuiet(Controller.BeforeEachKey alsoBetweenKeys, int workers, ExecutorService executor)
            throws InterruptedException {
        int total = 0;
        AtomicInteger pumped = new AtomicInteger();
        ReentrantLock pumping = new ReentrantLock();
        Controller.BeforeEachKey catchUp = () -> {
            pumping.lockInterruptibly();
            try {
                pumped.addAndGet(cache.pumpAvailable());
                alsoBetweenKeys.run();
            } finally {
                pumping.unlock();
            }
        };
        for (int round = 0; round < 10_000; round++) {
            pumped.set(0);
            int work = 0;
            for (Controller<String> controller : controllers) {
                int done = controller.drain(catchUp, workers, executor);
                work += done;
                total += done;
            }
            if (work + pumped.get() == 0) {
                return total;
            }
        }
        throw new IllegalStateException("the controllers did not settle after 10,000 rounds");
    }

    /** Queues every key of every controller again: level-triggered safety against anything missed. */
    public void resync() {
        cache.cells.list().forEach(c -> {
            placement.queue().add(c.name());
            migration.queue().add(c.name());
            buffer.queue().add(c.name());
        });
        cache.hosts.list().forEach(h -> {
            ledger.queue().add(h.name());
            health.queue().add(h.name());
        });
        cache.endpoints.list().forEach(e -> {
            endpoints.queue().add(e.name());
            restart.queue().add(e.name());
        });
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        cache.start();
        pump = new Thread(this::pumpForever, "fleet-cache-pump");
        pump.setDaemon(true);
        pump.start();
        controllers.forEach(c -> c.start(settings.workersPerController()));
        history.start();
    }

    @Override
    public synchronized void close() {
        running = false;
        controllers.forEach(Controller::close);
        if (pump != null) {
            pump.interrupt();
            try {
                pump.join(Duration.ofSeconds(10).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        history.close();
        placementReconciler.close();
        cache.close();
    }

    private void pumpForever() {
        long nextResync = System.nanoTime() + settings.resyncInterval().toNanos();
        while (running) {
            try {
                cache.pump(Duration.ofMillis(200));
                if (System.nanoTime() - nextResync > 0) {
                    resync();
                    nextResync = System.nanoTime() + settings.resyncInterval().toNanos();
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.warn("fleet cache pump: {}", e.toString());
            }
        }
    }

    private Controller<String> controller(String name, InstantSource clock, Reconciler<String> reconciler) {
        ControllerObserver observer = observers.controllers().apply(name);
        Controller<String> controller = new Controller<>(name, new WorkQueue<>(clock, Backoff.DEFAULT, observer),
                reconciler, observer);
        controllers.add(controller);
        return controller;
    }

    private void wire() {
        wireMigrations();
        telemetry.onMetrics((compute, sample) -> {
            autoscaler.record(compute, sample);
            autoscale.queue().add(compute);
            history.sampled(compute, sample);
        });
        telemetry.onUpscaleRequest((compute, request) -> {
            autoscaler.requestUpscale(compute, request);
            autoscale.queue().add(compute);
        });
        telemetry.onHeartbeat(host -> cache.hosts.get(host)
                .filter(h -> h.status() == null || !Boolean.TRUE.equals(h.status().ready()))
                .ifPresent(h -> health.queue().add(host)));
        cache.cells.addHandler((before, after) -> {
            // The buffer rewrites a cell's status whenever its allocation moves: only the spec
            // matters to the controllers here, and to the buffer its own writes are no news.
            if (before != null && after != null && Objects.equals(before.spec(), after.spec())) {
                return;
            }
            String cell = after != null ? after.name() : before.name();
            placement.queue().add(cell);
            migration.queue().add(cell);
            buffer.queue().add(cell);
            cache.hosts.byIndex(FleetCache.BY_CELL, cell).forEach(h -> ledger.queue().add(h.name()));
        });
        cache.hosts.addHandler((before, after) -> {
            Host host = after != null ? after : before;
            ledger.queue().add(host.name());
            if (before == null || after == null) {
                health.queue().add(host.name());
            }
            placement.queue().add(host.spec().cell());
            migration.queue().add(host.spec().cell());
            buffer.queue().add(host.spec().cell());
            if (before != null && after != null && !Objects.equals(before.spec().cell(), after.spec().cell())) {
                buffer.queue().add(before.spec().cell());
            }
        });
        cache.endpoints.addHandler((before, after) -> {
            Endpoint endpoint = after != null ? after : before;
            endpoints.queue().add(endpoint.name());
            restart.queue().add(endpoint.name());
            if (endpoint.spec().cell() != null) {
                placement.queue().add(endpoint.spec().cell());
            }
            if (before != null && after != null && !Objects.equals(before.spec().compute(), after.spec().compute())) {
                // New bounds apply at once, not at the compute's next metrics sample (none come without a guest).
                cache.computes.byIndex(FleetCache.BY_ENDPOINT, endpoint.name()).forEach(c -> autoscale.queue().add(c.name()));
            }
        });
        cache.computes.addHandler((before, after) -> {
            Compute compute = after != null ? after : before;
            forHosts(before, after, host -> ledger.queue().add(host));
            if (before == null || after == null || !Objects.equals(before.spec().host(), after.spec().host())) {
                // A host may have got its first compute or lost its last one: the buffer tracks empty hosts.
                forHosts(before, after, host -> cache.hosts.get(host).ifPresent(h -> buffer.queue().add(h.spec().cell())));
            }
            endpoints.queue().add(compute.spec().endpoint());
            restart.queue().add(compute.spec().endpoint());
            autoscale.queue().add(compute.name());
            if (after != null) {
                autoscaler.observe(after); // an upscale is confirmed the moment the leader sees its size
            }
            // A fenced primary's report that it stopped is what a move waits for to switch.
            boolean moving = Switchover.Purpose.of(compute).orElse(null) == Switchover.Purpose.migration
                    || compute.spec().role() == Compute.Role.fenced;
            if (moving) {
                forHosts(before, after, host -> cache.hosts.get(host)
                        .ifPresent(h -> migration.queue().add(h.spec().cell())));
            }
            if (after == null) {
                cache.endpoints.get(compute.spec().endpoint())
                        .ifPresent(e -> placement.queue().add(e.spec().cell()));
            }
        });
    }

    private void wireMigrations() {
        cache.migrations.addHandler((before, after) -> {
            Migration m = after != null ? after : before;
            cache.hosts.get(m.spec().sourceHost()).ifPresent(h -> migration.queue().add(h.spec().cell()));
        });
    }

    private static void forHosts(Compute before, Compute after, Consumer<String> action) {
        if (before != null && before.spec().host() != null) {
            action.accept(before.spec().host());
        }
        if (after != null && after.spec().host() != null
                && (before == null || !after.spec().host().equals(before.spec().host()))) {
            action.accept(after.spec().host());
        }
    }
}
