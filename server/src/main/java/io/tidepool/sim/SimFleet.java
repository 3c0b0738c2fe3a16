package io.tidepool.sim;

import io.tidepool.agent.HostAgent;
import io.tidepool.api.resource.Compute;
import io.tidepool.api.resource.Host;
import io.tidepool.api.resource.HostShape;
import io.tidepool.api.resource.Kind;
import io.tidepool.api.resource.ObjectMeta;
import io.tidepool.api.resource.Resource;
import io.tidepool.buffer.BufferReconciler;
import io.tidepool.buffer.HostProviders;
import io.tidepool.control.ControlLoop;
import io.tidepool.control.ControlObservers;
import io.tidepool.reconcile.ManualClock;
import io.tidepool.registry.ResourceRegistry;
import io.tidepool.sim.workload.Workload;
import io.tidepool.store.Store;
import io.tidepool.telemetry.Telemetry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A simulated fleet on a manual clock: host agents with the sim driver, the in-process link, and
 * the control loop of the current term, stepped deterministically. One {@link #step} advances the
 * clock by a tick, lets every live agent do its round, then runs the controllers until they have
 * nothing left to do at that instant. The store is any {@link Store}: in memory for speed, or a
 * Ratis cluster to test leader failover.
 *
 * <p>With host providers, hosts also come and go as the pool buffer asks: a host a provider made
 * gets an agent on the first step it is in the store, and loses it once it was given back.
 */
public final class SimFleet implements AutoCloseable {

    /**
     * @param tick        simulated time per step (agents heartbeat and report once per step)
     * @param lease       an agent cut off for longer stops its computes; shorter than the grace
     * @param startDelay  how long a compute takes to start
     * @param parallelism agents stepped, and keys of one controller reconciled, at once; 1 keeps a
     *                    seeded run exactly repeatable, more lets the store commit many writes
     *                    together, as it does for a real fleet whose agents run on their own hosts
     */
    public record Settings(Duration tick, Duration lease, Duration startDelay, ControlLoop.Settings control,
                           int parallelism) {
        public static final Settings DEFAULT = new Settings(Duration.ofSeconds(10), Duration.ofSeconds(20),
                Duration.ofSeconds(5), ControlLoop.Settings.DEFAULT, 1);

        public Settings {
            if (parallelism < 1) {
                throw new IllegalArgumentException("parallelism must be at least 1, not " + parallelism);
            }
        }

        public Settings withControl(ControlLoop.Settings newControl) {
            return new Settings(tick, lease, startDelay, newControl, parallelism);
        }

        public Settings withParallelism(int threads) {
            return new Settings(tick, lease, startDelay, control, threads);
        }
    }

    private static final Duration CATCH_UP_TIMEOUT = Duration.ofSeconds(30);

    private final Store store;
    private final ManualClock clock;
    private final Function<String, Workload> workloads;
    private final Settings settings;
    private final HostProviders providers;
    private final boolean providesHosts;
    private final InProcessLink link;
    private final ResourceRegistry registry;
    private final ExecutorService workers;
    private final Map<String, HostAgent> agents = new LinkedHashMap<>();
    private final Map<String, SimDriver> drivers = new LinkedHashMap<>();
    private Predicate<Compute> failsToStart = compute -> false;
    private final List<Runnable> afterAgentRound = new ArrayList<>();
    /** Agents this fleet started for hosts a provider made. */
    private final Set<String> provided = new HashSet<>();
    /** Hosts killed on purpose: a dead machine does not come back because its Host object is still there. */
    private final Set<String> killed = new HashSet<>();
    private ControlLoop loop;
    private Instant nextResync;

    public SimFleet(Store store, ManualClock clock, Function<String, Workload> workloads, Settings settings) {
        this(store, clock, workloads, settings, null);
    }

    /** @param providers where cells get hosts from when their buffer asks for them */
    public SimFleet(Store store, ManualClock clock, Function<String, Workload> workloads, Settings settings,
                    HostProviders providers) {
        this.store = store;
        this.clock = clock;
        this.workloads = workloads;
        this.settings = settings;
        this.providesHosts = providers != null;
        this.providers = providers == null ? HostProviders.none() : providers;
        this.registry = new ResourceRegistry(store);
        this.link = new InProcessLink(registry, () -> loop == null ? null : loop.telemetry());
        AtomicInteger threads = new AtomicInteger();
        this.workers = settings.parallelism() == 1 ? null
                : Executors.newFixedThreadPool(settings.parallelism(), runnable -> {
                    Thread thread = new Thread(runnable, "sim-fleet-" + threads.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
    }

    /** Starts a term of leadership: a fresh control loop with empty soft state. */
    public void lead() {
        lead(store);
    }

    /** Starts a term whose controllers report to {@code observers}. */
    public void lead(ControlObservers observers) {
        lead(store, observers);
    }

    /** Starts a term on {@code leaderNode}: the leader's replica of a store the agents reach through another. */
    public void lead(Store leaderNode) {
        lead(leaderNode, ControlObservers.NONE);
    }

    private void lead(Store leaderNode, ControlObservers observers) {
        if (loop != null) {
            loop.close();
        }
        loop = new ControlLoop(leaderNode, clock, new Telemetry(clock.instant()), settings.control(), providers, observers);
        loop.prime();
        nextResync = clock.instant().plus(settings.control().resyncInterval());
    }

    /** Ends the term (the leader died); agents go on, their heartbeats are lost until {@link #lead}. */
    public void loseLeadership() {
        if (loop != null) {
            loop.close();
            loop = null;
        }
    }

    public ControlLoop loop() {
        return loop;
    }

    public ManualClock clock() {
        return clock;
    }

    public InProcessLink link() {
        return link;
    }

    /** Adds a host whose agent registers it on its first round. */
    public HostAgent addHost(String cell, String name, HostShape shape) {
        return start(new Host(ObjectMeta.named(name).withCreationTimestamp(clock.instant()),
                new Host.Spec(cell, shape, false), null));
    }

    /** The host dies: its agent and its computes are gone at once, without a word to anyone. */
    public void killHost(String name) {
        agents.remove(name);
        drivers.remove(name);
        provided.remove(name);
        killed.add(name);
    }

    public Collection<HostAgent> agents() {
        return Collections.unmodifiableCollection(agents.values());
    }

    /**
     * Runs {@code check} in every step right after the agents' round, before the controllers: the
     * moment at which each agent runs exactly what the store assigned it (a check after the
     * controllers would see computes they deleted a moment ago, which the agents stop next round).
     */
    public void afterAgentRound(Runnable check) {
        afterAgentRound.add(check);
    }

    /** Advances the clock by one tick and runs one round of agents and controllers. */
    public void step() throws InterruptedException {
        clock.advance(settings.tick());
        Instant now = clock.instant();
        if (providesHosts) {
            followProvidedHosts();
        }
        // The agents act on every assignment the controllers made last step, as they would by now.
        link.catchUp(loop == null ? 0 : loop.cache().lastChangeOf(Kind.COMPUTE), CATCH_UP_TIMEOUT);
        stepAgents(now);
        afterAgentRound.forEach(Runnable::run);
        if (loop != null) {
            if (!now.isBefore(nextResync)) {
                loop.cache().pumpAvailable();
                loop.resync();
                nextResync = now.plus(settings.control().resyncInterval());
            }
            // The agents' view follows the controllers' writes as their watches would meanwhile.
            loop.runUntilQuiet(link::pump, settings.parallelism(), workers);
        }
        link.pump();
    }

    /** Boots an agent on every host a provider made that has none yet, and removes those given back. */
    private void followProvidedHosts() {
        Map<String, Host> inStore = new LinkedHashMap<>();
        for (Resource resource : registry.listAll(Kind.HOST)) {
            Host host = (Host) resource;
            if (host.metadata().labels().containsKey(BufferReconciler.PROVIDER_LABEL)) {
                inStore.put(host.name(), host);
            }
        }
        provided.removeIf(name -> {
            boolean gone = !inStore.containsKey(name);
            if (gone) {
                agents.remove(name);
                drivers.remove(name);
            }
            return gone;
        });
        for (Host host : inStore.values()) {
            if (!agents.containsKey(host.name()) && !killed.contains(host.name())) {
                start(host);
                provided.add(host.name());
            }
        }
    }

    /** One round of every agent, each on one thread; the step goes on once all are done. */
    private void stepAgents(Instant now) throws InterruptedException {
        if (workers == null) {
            for (HostAgent agent : agents.values()) {
                agent.step(now);
            }
            return;
        }
        List<Callable<Void>> rounds = new ArrayList<>(agents.size());
        for (HostAgent agent : agents.values()) {
            rounds.add(() -> {
                agent.step(now);
                return null;
            });
        }
        for (Future<Void> round : workers.invokeAll(rounds)) {
            try {
                round.get();
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
            }
        }
    }

    /** From now on, on every host, computes that match fail to start and keep failing (see {@link SimDriver#failStartsOf}). */
    public void failStartsOf(Predicate<Compute> which) {
        failsToStart = which;
        drivers.values().forEach(driver -> driver.failStartsOf(which));
    }

    private HostAgent start(Host host) {
        SimDriver driver = new SimDriver(host.name(), workloads, settings.startDelay());
        driver.failStartsOf(failsToStart);
        HostAgent agent = new HostAgent(host, link, driver, settings.lease());
        agents.put(host.name(), agent);
        drivers.put(host.name(), driver);
        return agent;
    }

    @Override
    public void close() {
        loseLeadership();
        link.close();
        if (workers != null) {
            workers.shutdownNow();
        }
    }
}
