package io.tidepool.server.hosts;

import io.tidepool.agent.ComputeDriver;
import io.tidepool.agent.ControlPlaneLink;
import io.tidepool.agent.HostAgent;
import io.tidepool.api.resource.Host;
import io.tidepool.api.resource.HostShape;
import io.tidepool.api.resource.ObjectMeta;
import io.tidepool.registry.ResourceRegistry;
import io.tidepool.sim.InProcessLink;
import io.tidepool.store.Store;
import io.tidepool.telemetry.Telemetry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host agents that {@code tidepool up} runs in its own process, named {@code <cell>-host-1..N}.
 * One thread steps them all: it follows the computes in the store, gives each agent its round every
 * step interval, and between rounds has every agent converge as soon as a compute changes, so that
 * a granted upscale reaches its cgroup in milliseconds. Agents are not thread-safe, and one thread
 * keeps their rounds in order and their reports from racing each other.
 */
public final class LocalHosts implements AutoCloseable {
    public static final int MAX_HOSTS = 64;
    private static final Logger log = LoggerFactory.getLogger(LocalHosts.class);
    /**
     * How soon a driver's change (a boot or a take-over finished) is reported: the loop waits on
     * the store's watch, which a driver cannot wake, so it looks at least this often.
     */
    private static final Duration DRIVER_CHECK = Duration.ofMillis(20);

    /**
     * @param stepInterval how often each agent heartbeats, reports and converges its computes
     * @param lease        an agent that cannot reach the control plane for this long stops its
     *                     computes; shorter than the grace period after which host health moves them
     */
    public record Settings(String cell, int count, HostShape shape, Duration stepInterval, Duration lease) {
        public static final Duration STEP_INTERVAL = Duration.ofSeconds(1);
        public static final Duration LEASE = Duration.ofSeconds(20);

        public Settings {
            if (count < 0 || count > MAX_HOSTS) {
                throw new IllegalArgumentException("expected from 0 to " + MAX_HOSTS + " local hosts, got " + count);
            }
        }

        public static Settings of(String cell, int count, HostShape shape) {
            return new Settings(cell, count, shape, STEP_INTERVAL, LEASE);
        }
    }

    private final InProcessLink link;
    private final List<HostAgent> agents;
    private final Clock clock;
    private final Duration stepInterval;
    private final Thread stepper = new Thread(this::run, "local-hosts");
    private final AtomicBoolean driversChanged = new AtomicBoolean();
    private volatile boolean closed;

    private LocalHosts(InProcessLink link, List<HostAgent> agents, Clock clock, Duration stepInterval) {
        this.link = link;
        this.agents = agents;
        this.clock = clock;
        this.stepInterval = stepInterval;
        stepper.setDaemon(true);
    }

    /**
     * Starts the agents; they register their hosts on their first round.
     *
     * @param leaderTelemetry the current leader's soft state, null while there is none
     * @param drivers         the driver of each host, by host name
     */
    public static LocalHosts start(Store store, Supplier<Telemetry> leaderTelemetry, Settings settings,
                                   Function<String, ComputeDriver> drivers, Clock clock) {
        InProcessLink link = new InProcessLink(new ResourceRegistry(store), leaderTelemetry);
        List<HostAgent> agents = new ArrayList<>();
        for (int i = 1; i <= settings.count(); i++) {
            String name = hostName(settings.cell(), i);
            Host host = new Host(ObjectMeta.named(name).withCreationTimestamp(clock.instant()),
                    new Host.Spec(settings.cell(), settings.shape(), false), null);
            agents.add(new HostAgent(host, link, drivers.apply(name), settings.lease()));
        }
        LocalHosts hosts = new LocalHosts(link, List.copyOf(agents), clock, settings.stepInterval());
        agents.forEach(agent -> agent.driver().onChange(() -> hosts.driversChanged.set(true)));
        hosts.stepper.start();
        return hosts;
    }

    public static String hostName(String cell, int index) {
        return cell + "-host-" + index;
    }

    public List<String> names() {
        return agents.stream().map(HostAgent::name).toList();
    }

    private void run() {
        long nextRound = System.nanoTime();
        while (!closed) {
            long wait = Math.min(nextRound - System.nanoTime(), DRIVER_CHECK.toNanos());
            int changed;
            try {
                changed = wait > 0 ? link.pump(Duration.ofNanos(wait)) : 0;
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.warn("local hosts: cannot follow the computes in the store: {}", e.toString());
                changed = 0;
                nextRound = System.nanoTime();
            }
            if (closed) {
                return;
            }
            if (System.nanoTime() - nextRound >= 0) {
                driversChanged.set(false);
                round();
                nextRound = System.nanoTime() + stepInterval.toNanos();
            } else if (changed > 0 || driversChanged.getAndSet(false)) {
                forEachAgent(agent -> agent.converge(clock.instant()));
            }
        }
    }

    private void round() {
        try {
            link.pump();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (RuntimeException e) {
            log.warn("local hosts: cannot follow the computes in the store: {}", e.toString());
        }
        Instant now = clock.instant();
        forEachAgent(agent -> agent.step(now));
    }

    /** Nothing may escape an agent's turn: the others still get theirs, and the thread goes on. */
    private void forEachAgent(Consumer<HostAgent> turn) {
        for (HostAgent agent : agents) {
            try {
                turn.accept(agent);
            } catch (ControlPlaneLink.UnreachableException e) {
                log.debug("{}: {}", agent.name(), e.getMessage());
            } catch (RuntimeException e) {
                log.warn("{}: round failed, next one in a moment: {}", agent.name(), e.toString());
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            stepper.join(Duration.ofSeconds(10).toMillis());
            if (stepper.isAlive()) {
                stepper.interrupt();
                stepper.join(Duration.ofSeconds(10).toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // Real computes stop with their agents (their data stays); simulated ones simply vanish.
        for (HostAgent agent : agents) {
            if (agent.driver() instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    log.warn("{}: stopping its computes failed: {}", agent.name(), e.toString());
                }
            }
        }
        link.close();
    }
}
