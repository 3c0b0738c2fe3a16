package io.tidepool.process;

import io.tidepool.agent.ComputeDriver;
import io.tidepool.api.agent.ComputeMetrics;
import io.tidepool.api.quantity.Cu;
import io.tidepool.api.resource.Compute;
import io.tidepool.api.agent.UpscaleRequest;
import io.tidepool.guest.GuestAgent;
import io.tidepool.guest.cgroup.CgroupTree;
import io.tidepool.guest.cgroup.ComputeCgroup;
import io.tidepool.postgres.OsUser;
import io.tidepool.postgres.PostgresBinaries;
import io.tidepool.postgres.PostgresServer;
import io.tidepool.standby.Replication;
import io.tidepool.standby.StandbyFit;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process driver: each compute is a real Postgres server, started inside its own cgroup, run
 * as the computes' unprivileged user, sized by the cgroup's CPU quota and memory limit and by the
 * settings that follow size. Starting (initdb on first use, then the postmaster) runs in the
 * background, so the agent's round never waits for it; a compute whose postmaster dies is started
 * again. Without cgroups it still runs Postgres, and {@link #limitsEnforced()} says that sizes are
 * then only settings.
 *
 * <p>Beside each running compute with a cgroup runs its {@link GuestAgent}, in this process,
 * connected over the host's guest socket: it calls for memory the moment the compute runs short
 * (passed straight to {@link #onUpscaleRequest}'s listener), answers downscale requests, and sends
 * the metrics {@link #metrics} reports. Without guest agents, as without a guest agent in a VM,
 * no metrics reach the autoscaler (sizes hold), downscales are checked here, and nothing catches
 * memory pressure before the kernel's OOM killer does.
 *
 * <p>Data lives per endpoint under the data root ({@link EndpointData}) and stays when a compute
 * stops, so the endpoint's next compute on a host sharing that root finds it. Postgres' own lock on
 * the directory keeps two postmasters off it.
 *
 * <p>Moves and planned restarts replace the primary with a streaming standby: the replacement
 * copies the running primary's data (pg_basebackup, inside its own cgroup), follows its WAL,
 * loads the primary's hot pages ({@link StandbyWarmUp}), and reports warm then. When the store has
 * fenced and stopped the primary and promotes the replacement, it takes over
 * ({@link StandbyTakeOver}). Where there is no primary to stream from, a replacement is only
 * prepared ({@link PreparedReplacement}) and starts on the endpoint's data once promoted.
 */
public final class ProcessDriver implements ComputeDriver, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ProcessDriver.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * @param dataRoot     where endpoints' data directories, sockets and logs go
     * @param cgroups      where computes' cgroups go; empty to run without limits
     * @param readyTimeout how long a start may take before the compute is reported Failed
     * @param guests       how guest agents watch computes; empty to run none (limits still apply)
     * @param prewarm      whether a streaming replacement loads its primary's hot pages before it reports warm
     * @param keepCache    whether a compute's cache is recorded before its memory shrinks and loaded
     *                     back when it grows ({@link CacheKeeping}); only with cgroups
     */
    public record Settings(Path dataRoot, String computeUser, Optional<CgroupTree> cgroups, Duration readyTimeout,
                           Optional<GuestAgent.Settings> guests, boolean prewarm, boolean keepCache) {
        public Settings(Path dataRoot, String computeUser, Optional<CgroupTree> cgroups, Duration readyTimeout) {
            this(dataRoot, computeUser, cgroups, readyTimeout, Optional.of(GuestAgent.Settings.DEFAULT), true, true);
        }

        public Settings(Path dataRoot, String computeUser, Optional<CgroupTree> cgroups, Duration readyTimeout,
                        Optional<GuestAgent.Settings> guests) {
            this(dataRoot, computeUser, cgroups, readyTimeout, guests, true, true);
        }

        /** The same without guest agents: the kernel's OOM killer meets memory pressure unaided. */
        public Settings withoutGuestAgents() {
            return new Settings(dataRoot, computeUser, cgroups, readyTimeout, Optional.empty(), prewarm, keepCache);
        }

        /**
         * The same with standbys that stream but load no hot pages: a replacement takes over as
         * cold as a restarted compute, which is what the switch benchmark compares prewarming with.
         */
        public Settings withoutPrewarm() {
            return new Settings(dataRoot, computeUser, cgroups, readyTimeout, guests, false, keepCache);
        }

        /** The same with caches left cold after a shrink, as Neon, Aurora and Azure leave them. */
        public Settings withoutKeptCache() {
            return new Settings(dataRoot, computeUser, cgroups, readyTimeout, guests, prewarm, false);
        }
    }

    private final Settings settings;
    private final OsUser user;
    private final ExecutorService lifecycle;
    private final Map<String, HostedCompute> instances = new ConcurrentHashMap<>();
    /** Replacements waiting for their promotion; never in {@link #instances} at the same time. */
    private final Map<String, PreparedReplacement> replacements = new ConcurrentHashMap<>();
    /** Looking for a version runs its postgres --version: once per version, not per start. */
    private final Map<String, PostgresBinaries> binariesByVersion = new ConcurrentHashMap<>();
    /** Present when guest agents run: computes need cgroups for them. */
    private final Optional<GuestConnections> guests;
    private final RetiredData retired;
    private volatile BiConsumer<String, UpscaleRequest> upscaleListener = (compute, request) -> { };
    private volatile Runnable changeListener = () -> { };

    public ProcessDriver(Settings settings) throws IOException, InterruptedException {
        this.settings = settings;
        this.user = OsUser.forComputes(settings.computeUser());
        Files.createDirectories(settings.dataRoot());
        user.checkReachable(settings.dataRoot());
        this.retired = new RetiredData(settings.dataRoot(), RetiredData.GRACE);
        if (settings.cgroups().isPresent()) {
            settings.cgroups().get().prepare();
            // An earlier agent of this host that died left its computes running: nothing manages
            // them, they hold their endpoints' data, and the store may have moved them since.
            List<String> left = settings.cgroups().get().clear(HostedCompute.CGROUP_EMPTY_WAIT);
            if (!left.isEmpty()) {
                log.warn("stopped computes {} that an earlier agent of this host left running", left);
            }
        }
        if (settings.cgroups().isPresent() && settings.guests().isPresent()) {
            // Several drivers may share a data root (hosts on one machine): each has its own socket.
            Path socket = settings.dataRoot().resolve("sockets").resolve("guests-" + Long.toHexString(RANDOM.nextLong()) + ".sock");
            this.guests = Optional.of(new GuestConnections(socket, (compute, request) -> upscaleListener.accept(compute, request)));
        } else {
            this.guests = Optional.empty();
        }
        AtomicInteger threads = new AtomicInteger();
        this.lifecycle = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "compute-start-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public void onUpscaleRequest(BiConsumer<String, UpscaleRequest> listener) {
        upscaleListener = listener;
    }

    @Override
    public void onChange(Runnable listener) {
        changeListener = listener;
    }

    /** A boot or a take-over, on the lifecycle threads; the agent hears when it is over, however it ended. */
    private void inBackground(Runnable step) {
        lifecycle.submit(() -> {
            try {
                step.run();
            } finally {
                changeListener.run();
            }
        });
    }

    /** The compute's guest agent, while it runs. */
    public Optional<GuestAgent> guestAgent(String name) {
        return Optional.ofNullable(instances.get(name)).map(i -> i.guest);
    }

    /** Whether sizes are enforced by cgroups, or only settings. */
    public boolean limitsEnforced() {
        return settings.cgroups().isPresent();
    }

    @Override
    public void start(Compute compute, Instant now) {
        if (compute.spec().role() == Compute.Role.replacement) {
            startReplacement(compute);
            return;
        }
        instances.computeIfAbsent(compute.name(), name -> {
            HostedCompute instance = launch(compute, server(compute), Optional.empty());
            announce(compute, instance.server);
            return instance;
        });
    }

    /**
     * A replacement streams from its endpoint's running primary when it can: same major version,
     * and a primary that announced itself on this data root. Otherwise it is only prepared, to
     * start on the endpoint's data once the primary has stopped, or refused, saying why.
     */
    private void startReplacement(Compute compute) {
        if (replacements.containsKey(compute.name()) || instances.containsKey(compute.name())) {
            return;
        }
        PreparedReplacement check = PreparedReplacement.of(compute, server(compute));
        Optional<Integer> primaryPort = endpointData(compute).primaryPort();
        if (check.failure().isPresent() || primaryPort.isEmpty()) {
            prepare(compute);
            return;
        }
        Optional<String> unfit;
        try {
            unfit = StandbyFit.refusal(Replication.settingsToMatch("127.0.0.1", primaryPort.get()),
                    compute.spec().postgres().settings());
        } catch (SQLException e) {
            unfit = Optional.of("its primary does not answer: " + e.getMessage());
        }
        if (unfit.isPresent()) {
            log.info("{} takes over by stop and start, not as a streaming standby: {}", compute.name(), unfit.get());
            prepare(compute);
            return;
        }
        EndpointData data = endpointData(compute);
        instances.computeIfAbsent(compute.name(), name -> launch(compute,
                server(compute, data.ofCompute(name), freePort()),
                Optional.of(new StandbyWarmUp("127.0.0.1", primaryPort.get(), settings.prewarm()))));
    }

    /**
     * Follows the store's roles: a prepared replacement promoted to primary starts now, at the
     * address it reported (stop and start); a streaming one takes over (see {@link StandbyTakeOver}).
     */
    @Override
    public void follow(Compute compute, Instant now) {
        if (compute.spec().role() != Compute.Role.primary) {
            return;
        }
        HostedCompute streaming = instances.get(compute.name());
        if (streaming != null && streaming.beginTakeOver()) {
            inBackground(() -> new StandbyTakeOver(endpointData(compute), streaming, this::restartOnOldData).run());
            return;
        }
        PreparedReplacement prepared = replacements.get(compute.name());
        if (prepared == null || prepared.failure().isPresent()) {
            return;
        }
        instances.computeIfAbsent(compute.name(), name -> {
            announce(compute, prepared.server());
            return launch(compute, prepared.server(), Optional.empty());
        });
        replacements.remove(compute.name());
    }

    /** The take-over's fallback: the standby is gone, and Postgres starts on the old primary's data at its port. */
    private void restartOnOldData(HostedCompute standby, Path oldData) {
        Compute compute = standby.compute;
        PostgresServer.Config was = standby.server.config();
        PostgresServer server = new PostgresServer(new PostgresServer.Config(was.binaries(), was.user(), oldData, was.socketDir(),
                was.port(), oldData.getParent().resolve("postgres.log")));
        instances.put(compute.name(), launch(compute, server, Optional.empty()));
        announce(compute, server);
    }

    private void announce(Compute compute, PostgresServer server) {
        try {
            endpointData(compute).announcePrimary(server.config().port());
        } catch (IOException e) {
            log.warn("{} could not announce itself as its endpoint's primary; its replacements will not stream from it", compute.name(), e);
        }
    }

    private void prepare(Compute compute) {
        replacements.computeIfAbsent(compute.name(), name -> {
            PreparedReplacement prepared = PreparedReplacement.of(compute, server(compute));
            prepared.failure().ifPresent(why -> log.warn("{} cannot take over here: {}", name, why));
            return prepared;
        });
    }

    private HostedCompute launch(Compute compute, PostgresServer server, Optional<StandbyWarmUp> standby) {
        HostedCompute instance = new HostedCompute(compute, server, settings.cgroups().map(tree -> tree.compute(compute.name())),
                standby, guests, settings.guests(), lifecycle, settings.keepCache());
        inBackground(() -> instance.boot(settings.readyTimeout()));
        return instance;
    }

    @Override
    public ResizeOutcome resize(String name, Cu target, Instant now) {
        if (replacements.computeIfPresent(name, (n, prepared) -> prepared.withCu(target)) != null) {
            return new ResizeOutcome(target, false, "will start at " + target + " CU");
        }
        HostedCompute instance = instances.get(name);
        if (instance == null || instance.phase != Compute.Phase.Running) {
            return new ResizeOutcome(instance == null ? Cu.ZERO : instance.cu, true, name + " is not running here");
        }
        try {
            return instance.resize(target);
        } catch (IOException e) {
            log.warn("resizing {} to {} CU failed", name, target, e);
            return new ResizeOutcome(instance.cu, true, "resize to " + target + " CU failed: " + e.getMessage());
        }
    }

    @Override
    public void stop(String name, Instant now) {
        replacements.remove(name);
        HostedCompute instance = instances.remove(name);
        if (instance == null) {
            return;
        }
        try {
            instance.stop();
            EndpointData data = endpointData(instance.compute);
            if (instance.following()) {
                data.remove(instance.server.config().dataDir()); // a discarded standby's copy is of no use
            } else {
                data.withdrawPrimary(instance.server.config().port());
            }
        } catch (IOException e) {
            log.warn("stopping {} left something behind", name, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public Set<String> running() {
        Set<String> running = new HashSet<>(instances.keySet());
        running.addAll(replacements.keySet());
        return Set.copyOf(running);
    }

    @Override
    public Optional<Observed> observe(String name, Instant now) {
        PreparedReplacement prepared = replacements.get(name);
        if (prepared != null) {
            return Optional.of(prepared.observed());
        }
        HostedCompute instance = instances.get(name);
        if (instance == null) {
            return Optional.empty();
        }
        guests.ifPresent(g -> g.checkHealth(name));
        instance.restartGuestIfSilent(Instant.now());
        if (instance.phase == Compute.Phase.Running && !instance.server.alive()) {
            log.warn("the postmaster of {} exited; starting it again", name);
            instance.phase = Compute.Phase.Starting;
            instance.restarts++;
            inBackground(() -> instance.boot(settings.readyTimeout()));
        } else if (instance.dueForRetry()) {
            log.info("starting {} again after its failed start ({})", name, instance.failure);
            instance.phase = Compute.Phase.Starting;
            inBackground(() -> instance.boot(settings.readyTimeout()));
        }
        Compute.Phase phase = instance.phase;
        // The failure stays through the retries, until a start succeeds: the compute is failing all along.
        return Optional.of(new Observed(phase, instance.cu, instance.address(), phase == Compute.Phase.Running && instance.warm,
                instance.failure));
    }

    /** What the compute's guest agent last sent: without guest agents, nothing (the autoscaler then holds sizes). */
    @Override
    public Optional<ComputeMetrics> metrics(String name, Instant now) {
        HostedCompute instance = instances.get(name);
        if (instance == null || instance.phase != Compute.Phase.Running) {
            return Optional.empty();
        }
        return guests.flatMap(g -> g.latestMetrics(name));
    }

    /** The latest load back of the compute's cache after its memory grew, when caches are kept. */
    Optional<CacheKeeping.Refill> cacheRefill(String name) {
        return Optional.ofNullable(instances.get(name)).flatMap(HostedCompute::cacheRefill);
    }

    /** Times the postmaster of {@code name} had to be started again after it exited. */
    public int restarts(String name) {
        HostedCompute instance = instances.get(name);
        return instance == null ? 0 : instance.restarts;
    }

    /** The compute's server, while it is known here. */
    public Optional<PostgresServer> server(String name) {
        return Optional.ofNullable(instances.get(name)).map(i -> i.server);
    }

    /** The compute's cgroup, while it is known here and cgroups are used. */
    public Optional<ComputeCgroup> cgroup(String name) {
        return Optional.ofNullable(instances.get(name)).flatMap(i -> i.cgroup);
    }

    /** Stops every compute, then removes this host's cgroups; their data stays. */
    @Override
    public void close() {
        for (String name : running()) {
            stop(name, Instant.now());
        }
        lifecycle.shutdownNow();
        try {
            // A boot the shutdown interrupted may have made its cgroup and no more: wait for it to end.
            if (!lifecycle.awaitTermination(HostedCompute.CGROUP_EMPTY_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("compute starts still ran {} s after the driver closed", HostedCompute.CGROUP_EMPTY_WAIT.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (String name : running()) {
            stop(name, Instant.now()); // started while the first round stopped the others
        }
        guests.ifPresent(GuestConnections::close);
        retired.close();
        if (settings.cgroups().isPresent()) {
            CgroupTree tree = settings.cgroups().get();
            try {
                List<String> running = tree.clear(HostedCompute.CGROUP_EMPTY_WAIT);
                if (!running.isEmpty()) {
                    log.warn("{} still ran in their cgroups as the driver closed; killed", running);
                }
                // As far as empty: other hosts of this machine may share the levels above this host's.
                tree.removeParent(HostedCompute.CGROUP_EMPTY_WAIT);
            } catch (IOException e) {
                log.info("this host's cgroups stay: {}", e.getMessage());
            }
        }
    }

    /** A server on the endpoint's data, wherever it lives now. */
    private PostgresServer server(Compute compute) {
        try {
            return server(compute, endpointData(compute).current(), freePort());
        } catch (IOException e) {
            throw new UncheckedIOException("where the data of endpoint " + compute.spec().endpoint() + " lives cannot be read", e);
        }
    }

    private PostgresServer server(Compute compute, Path dataDir, int port) {
        return new PostgresServer(new PostgresServer.Config(binaries(compute.spec().postgres().version()), user, dataDir,
                settings.dataRoot().resolve("sockets").resolve(compute.name()), port, dataDir.getParent().resolve("postgres.log")));
    }

    private EndpointData endpointData(Compute compute) {
        return new EndpointData(settings.dataRoot(), compute.spec().endpoint(), retired);
    }

    /** The binaries of {@code version}, or a stand-in whose absence {@link HostedCompute#boot} reports. */
    private PostgresBinaries binaries(String version) {
        PostgresBinaries known = binariesByVersion.get(version);
        if (known != null) {
            return known;
        }
        try {
            Optional<PostgresBinaries> found = PostgresBinaries.find(version);
            found.ifPresent(binaries -> binariesByVersion.put(version, binaries));
            return found.orElse(new PostgresBinaries(version, Path.of("/nonexistent")));
        } catch (IOException e) {
            log.warn("looking for Postgres {} failed", version, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return new PostgresBinaries(version, Path.of("/nonexistent"));
    }

    static String address(PostgresServer server) {
        return "postgresql://" + PostgresServer.SUPERUSER + "@127.0.0.1:" + server.config().port() + "/postgres";
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }
}
