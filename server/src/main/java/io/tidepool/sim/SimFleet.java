package io.tidepool.sim;

import io.tidepool.agent.HostAgent;
import io.tidepool.api.resource.Host;
import io.tidepool.api.resource.HostShape;
import io.tidepool.api.resource.Kind;
import io.tidepool.api.resource.ObjectMeta;
import io.tidepool.api.resource.Resource;
import io.tidepool.buffer.BufferReconciler;
import io.tidepool.buffer.HostProviders;
import io.tidepool.control.ControlLoop;
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
import java.util.function.Function;

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
     * @param tick       simulated time per step (agents heartbeat and report once per step)
     * @param lease      an agent cut off for longer stops its computes; shorter than the grace
     * @param startDelay how long a compute takes to start
     */
    public record Settings(Duration tick, Duration lease, Duration startDelay, ControlLoop.Settings control) {
        public static final Settings DEFAULT = new Settings(Duration.ofSeconds(10), Duration.ofSeconds(20),
                Duration.ofSeconds(5), ControlLoop.Settings.DEFAULT);
    }

    private final Store store;
    private final ManualClock clock;
    private final Function<String, Workload> workloads;
    private final Settings settings;
    private final HostProviders providers;
    private final boolean providesHosts;
    private final InProcessLink link;
    private final ResourceRegistry registry;
    private final Map<String, HostAgent> agents = new LinkedHashMap<>();
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
    }

    /** Starts a term of leadership: a fresh control loop with empty soft state. */
    public void lead() {
        lead(store);
    }

    /** Starts a term on {@code leaderNode}: the leader's replica of a store the agents reach through another. */
    public void lead(Store leaderNode) {
        if (loop != null) {
            loop.close();
        }
        loop = new ControlLoop(leaderNode, clock, new Telemetry(clock.instant()), settings.control(), providers);
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
        link.pump();
        for (HostAgent agent : agents.values()) {
            agent.step(now);
        }
        afterAgentRound.forEach(Runnable::run);
        if (loop != null) {
            if (!now.isBefore(nextResync)) {
                loop.cache().pumpAvailable();
                loop.resync();
                nextResync = now.plus(settings.control().resyncInterval());
            }
            loop.runUntilQuiet();
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

    private HostAgent start(Host host) {
        HostAgent agent = new HostAgent(host, link, new SimDriver(host.name(), workloads, settings.startDelay()), settings.lease());
        agents.put(host.name(), agent);
        return agent;
    }

    @Override
    public void close() {
        loseLeadership();
        link.close();
    }
}
