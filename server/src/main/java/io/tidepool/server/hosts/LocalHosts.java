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
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host agents that {@code tidepool up} runs in its own process, named {@code <cell>-host-1..N}.
 * One thread steps them all on a real-time timer: it brings the link's view of the computes up to
 * date, then gives each agent its round. Agents are not thread-safe, and one thread keeps their
 * rounds in order and their reports from racing each other.
 */
public final class LocalHosts implements AutoCloseable {
    public static final int MAX_HOSTS = 64;
    private static final Logger log = LoggerFactory.getLogger(LocalHosts.class);

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
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "local-hosts");
        thread.setDaemon(true);
        return thread;
    });

    private LocalHosts(InProcessLink link, List<HostAgent> agents, Clock clock) {
        this.link = link;
        this.agents = agents;
        this.clock = clock;
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
        LocalHosts hosts = new LocalHosts(link, List.copyOf(agents), clock);
        long intervalMs = settings.stepInterval().toMillis();
        hosts.timer.scheduleWithFixedDelay(hosts::round, 0, intervalMs, TimeUnit.MILLISECONDS);
        return hosts;
    }

    public static String hostName(String cell, int index) {
        return cell + "-host-" + index;
    }

    public List<String> names() {
        return agents.stream().map(HostAgent::name).toList();
    }

    private void round() {
        // A task that throws is never run again by the timer: nothing may escape a round.
        try {
            link.pump();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (RuntimeException e) {
            log.warn("local hosts: cannot follow the computes in the store: {}", e.toString());
        }
        Instant now = clock.instant();
        for (HostAgent agent : agents) {
            try {
                agent.step(now);
            } catch (ControlPlaneLink.UnreachableException e) {
                log.debug("{}: {}", agent.name(), e.getMessage());
            } catch (RuntimeException e) {
                log.warn("{}: round failed, next one in a moment: {}", agent.name(), e.toString());
            }
        }
    }

    @Override
    public void close() {
        timer.shutdown();
        try {
            if (!timer.awaitTermination(10, TimeUnit.SECONDS)) {
                timer.shutdownNow();
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
