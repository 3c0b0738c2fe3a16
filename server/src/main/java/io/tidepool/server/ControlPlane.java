package io.tidepool.server;

import io.tidepool.api.codec.ManifestCodec;
import io.tidepool.buffer.HostProviders;
import io.tidepool.control.ControlLoop;
import io.tidepool.endpoint.ClientAddresses;
import io.tidepool.reconcile.LeaderGate;
import io.tidepool.registry.ResourceRegistry;
import io.tidepool.server.api.ApiServer;
import io.tidepool.server.apply.ManifestApplier;
import io.tidepool.server.auth.AdminToken;
import io.tidepool.server.auth.TokenOwner;
import io.tidepool.server.auth.TokenRegistry;
import io.tidepool.server.metrics.ServerMetrics;
import io.tidepool.server.metrics.TermMetrics;
import io.tidepool.server.proxy.NodeProxy;
import io.tidepool.server.proxy.ProxyPorts;
import io.tidepool.server.proxy.ProxySettings;
import io.tidepool.server.sync.LeaderSync;
import io.tidepool.server.sync.SyncSettings;
import io.tidepool.store.Store;
import io.tidepool.store.StoreException;
import io.tidepool.store.ratis.Peer;
import io.tidepool.store.ratis.RatisStore;
import io.tidepool.store.ratis.RatisStoreConfig;
import io.tidepool.telemetry.Telemetry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One control-plane node: its replica of the store, the API in front of it, and, while this node
 * leads the store, the controllers. {@code tidepool up} runs one with a single-node store;
 * {@code tidepool server} runs one member of a 3- or 5-node cluster.
 */
public final class ControlPlane implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ControlPlane.class);
    private static final Duration RETRY_PAUSE = Duration.ofMillis(500);

    private final DataDirLock lock;
    private final Store store;
    private final LeaderTerms terms;
    private final ApiServer api;
    private final ManifestApplier applier;
    private final LeaderSync leaderSync;
    private final String adminToken;
    private NodeProxy proxy;

    private ControlPlane(DataDirLock lock, Store store, LeaderTerms terms, ApiServer api, ManifestApplier applier,
                         LeaderSync leaderSync, String adminToken) {
        this.lock = lock;
        this.store = store;
        this.terms = terms;
        this.api = api;
        this.applier = applier;
        this.leaderSync = leaderSync;
        this.adminToken = adminToken;
    }

    /**
     * @param peers       every member of the store's Raft group, this node included
     * @param controllers how the controllers behave while this node leads
     * @param sync        the git sync the leader runs, if any
     * @param proxy       the endpoint proxy this node runs, if any
     * @param clock       the controllers' and the proxy's clock (tests move it to make an endpoint idle)
     */
    public record Config(String nodeId, Path dataDir, List<Peer> peers, String httpHost, int httpPort,
                         ControlLoop.Settings controllers, Optional<SyncSettings> sync, Optional<ProxySettings> proxy,
                         Clock clock) {
        public Config(String nodeId, Path dataDir, List<Peer> peers, String httpHost, int httpPort) {
            this(nodeId, dataDir, peers, httpHost, httpPort, ControlLoop.Settings.DEFAULT);
        }

        public Config(String nodeId, Path dataDir, List<Peer> peers, String httpHost, int httpPort,
                      ControlLoop.Settings controllers) {
            this(nodeId, dataDir, peers, httpHost, httpPort, controllers, Optional.empty(), Optional.empty(),
                    Clock.systemUTC());
        }

        /** With a git sync that the leader runs; its cache clone lives in the data dir. */
        public Config withSync(Optional<SyncSettings> settings) {
            return new Config(nodeId, dataDir, peers, httpHost, httpPort, controllers, settings, proxy, clock);
        }

        /** With the endpoint proxy: endpoints' addresses become the proxy's. */
        public Config withProxy(Optional<ProxySettings> settings) {
            return new Config(nodeId, dataDir, peers, httpHost, httpPort, controllers, sync, settings, clock);
        }

        public Config withClock(Clock newClock) {
            return new Config(nodeId, dataDir, peers, httpHost, httpPort, controllers, sync, proxy, newClock);
        }
    }

    public static ControlPlane start(Config config) throws IOException {
        DataDirLock lock = DataDirLock.acquire(config.dataDir());
        RatisStore store;
        String adminToken;
        try {
            adminToken = AdminToken.loadOrCreate(config.dataDir());
            store = RatisStore.start(RatisStoreConfig.cluster(config.nodeId(), config.dataDir().resolve("store"), config.peers()));
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
        LeaderTerms terms = null;
        LeaderSync leaderSync = null;
        try {
            Clock clock = config.clock();
            TokenRegistry tokens = new TokenRegistry(store, clock);
            ManifestApplier applier = new ManifestApplier(new ResourceRegistry(store), new ManifestCodec(), clock);
            ServerMetrics metrics = new ServerMetrics(store);
            ProxyPorts ports = config.proxy().map(p -> new ProxyPorts(store, p.ports())).orElse(null);
            ClientAddresses addresses = ports == null ? ClientAddresses.NONE
                    : NodeProxy.addresses(ports, config.proxy().get());
            terms = new LeaderTerms(store, clock, config.controllers(), metrics, addresses);
            leaderSync = new LeaderSync(store, applier, config.sync(), config.dataDir().resolve("git"), clock,
                    LeaderSync.DRIFT_CHECK_EVERY);
            ApiServer api = ApiServer.start(new ApiServer.Settings(config.nodeId(), config.httpHost(), config.httpPort(),
                    store, applier, tokens, metrics, terms::current));
            ControlPlane plane = new ControlPlane(lock, store, terms, api, applier, leaderSync, adminToken);
            plane.registerToken(tokens, TokenOwner.admin(config.nodeId()));
            if (ports != null) {
                // After the token: the store has a leader by then, and the proxy lists from it.
                startProxy(plane, ports, config.proxy().get(), clock);
            }
            return plane;
        } catch (RuntimeException e) {
            if (leaderSync != null) {
                leaderSync.close();
            }
            if (terms != null) {
                terms.close();
            }
            store.close();
            lock.close();
            throw e;
        }
    }

    /**
     * The controllers of each term of leadership: a fresh {@link ControlLoop}, with empty soft state,
     * every time this node becomes the leader, closed as soon as it stops leading.
     */
    private static final class LeaderTerms implements AutoCloseable {
        private final AtomicReference<ControlLoop> current = new AtomicReference<>();
        private final LeaderGate gate;

        LeaderTerms(Store store, Clock clock, ControlLoop.Settings settings, ServerMetrics metrics,
                    ClientAddresses addresses) {
            gate = new LeaderGate(store.leadership(), () -> {
                TermMetrics counts = metrics.newTerm(clock.instant());
                ControlLoop loop = new ControlLoop(store, clock, new Telemetry(clock.instant()), settings,
                        HostProviders.none(), counts.observers(), addresses);
                loop.start();
                current.set(loop);
                metrics.leading(counts, loop);
                return () -> {
                    metrics.stoppedLeading(counts);
                    current.compareAndSet(loop, null);
                    loop.close();
                };
            });
        }

        ControlLoop current() {
            return current.get();
        }

        @Override
        public void close() {
            gate.close();
        }
    }

    /**
     * Registers this node's admin token in the store and learns every other token, waiting for the
     * store to have a leader: in a cluster that starts node by node, that is when a majority is up.
     */
    private void registerToken(TokenRegistry tokens, TokenOwner owner) {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        while (true) {
            try {
                tokens.register(owner, adminToken);
                tokens.loadAll();
                return;
            } catch (StoreException e) {
                if (Instant.now().isAfter(deadline)) {
                    throw new StoreException("could not register the admin token: the store has had no leader for 2 minutes", e);
                }
                log.info("waiting for the store to elect a leader before registering the admin token: {}", e.getMessage());
                pause(RETRY_PAUSE);
            }
        }
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting for the store", e);
        }
    }

    private static void startProxy(ControlPlane plane, ProxyPorts ports, ProxySettings settings, Clock clock) {
        try {
            plane.proxy = NodeProxy.start(plane.store, ports, settings, plane::leaderTelemetry, clock);
        } catch (IOException | RuntimeException e) {
            // The caller's clean-up closes the rest of the node.
            plane.api.close();
            throw new IllegalStateException("cannot start the endpoint proxy: " + e.getMessage(), e);
        }
    }

    public Store store() {
        return store;
    }

    /** The endpoint proxy this node runs, if it runs one. */
    public Optional<NodeProxy> proxy() {
        return Optional.ofNullable(proxy);
    }

    /** The controllers of this node's current term of leadership; null while it does not lead. */
    public ControlLoop controlLoop() {
        return terms.current();
    }

    /** What the leader hears from host agents (heartbeats, metrics); null while this node does not lead. */
    public Telemetry leaderTelemetry() {
        ControlLoop loop = terms.current();
        return loop == null ? null : loop.telemetry();
    }

    public ManifestApplier applier() {
        return applier;
    }

    public int httpPort() {
        return api.port();
    }

    public String adminToken() {
        return adminToken;
    }

    /** A new one-time console login link, as a path to put after this node's URL. */
    public String newConsoleLoginPath() {
        return api.newConsoleLoginPath();
    }

    @Override
    public void close() {
        try {
            if (proxy != null) {
                proxy.close();
            }
            api.close();
        } finally {
            try {
                try {
                    leaderSync.close();
                } finally {
                    terms.close();
                }
            } finally {
                store.close();
                try {
                    lock.close();
                } catch (IOException e) {
                    log.warn("releasing the data dir lock failed: {}", e.getMessage());
                }
            }
        }
    }
}
