package io.tidepool.process;

import io.tidepool.agent.ComputeDriver.ResizeOutcome;
import io.tidepool.api.quantity.Cu;
import io.tidepool.api.resource.Compute;
import io.tidepool.guest.DownscaleCheck;
import io.tidepool.guest.GuestAgent;
import io.tidepool.guest.cgroup.ComputeCgroup;
import io.tidepool.postgres.PostgresServer;
import io.tidepool.postgres.SizedSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One compute on this host: its Postgres server, its cgroup, its guest agent and the size applied
 * to them. Changes of size and lifecycle are made under the instance's lock; what the driver's
 * round reads (phase, size) is volatile.
 */
final class HostedCompute {
    private static final Logger log = LoggerFactory.getLogger(HostedCompute.class);
    private static final long READY_POLL_NANOS = Duration.ofMillis(50).toNanos();
    /** How long a guest has to answer a downscale request before it counts as refused. */
    static final Duration DOWNSCALE_ANSWER_TIMEOUT = Duration.ofSeconds(2);
    static final Duration CGROUP_EMPTY_WAIT = Duration.ofSeconds(10);
    /** A guest that answers no health check (one goes out every round) for this long is started again. */
    static final Duration GUEST_SILENCE_LIMIT = Duration.ofSeconds(5);
    /** Waits before starting again after failed starts: doubling from the first, up to the last. */
    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    private static final Duration LONGEST_RETRY = Duration.ofMinutes(1);

    final Compute compute;
    final PostgresServer server;
    final Optional<ComputeCgroup> cgroup;
    /** Present for a replacement that streams from its endpoint's primary until it is promoted. */
    final Optional<StandbyWarmUp> standby;
    /** Present when guest agents run; they need the cgroup too. */
    private final Optional<GuestConnections> guests;
    private final Optional<GuestAgent.Settings> guestSettings;
    private final Executor background;
    /** Present when the compute's cache is kept across downscales. */
    private final Optional<CacheKeeping> cache;
    /** The size whose settings are yet to be written, or null. */
    private final AtomicReference<Cu> settingsDue = new AtomicReference<>();
    volatile GuestAgent guest;
    private volatile Instant guestStartedAt;
    volatile Compute.Phase phase = Compute.Phase.Starting;
    /** Ready to take over: a primary as soon as it runs, a standby once caught up and prewarmed. */
    volatile boolean warm;
    /** A standby's take-over has begun; it happens once. */
    private final AtomicBoolean takingOver = new AtomicBoolean();
    volatile boolean promoted;
    volatile Cu cu;
    volatile int restarts;
    volatile boolean stopped;
    /** Why the last start failed, while Failed. */
    volatile String failure;
    private volatile int failedStarts;
    private volatile long failedAtNanos;

    HostedCompute(Compute compute, PostgresServer server, Optional<ComputeCgroup> cgroup, Optional<StandbyWarmUp> standby,
                  Optional<GuestConnections> guests, Optional<GuestAgent.Settings> guestSettings, Executor background,
                  boolean keepCache) {
        this.compute = compute;
        this.server = server;
        this.cgroup = cgroup;
        this.standby = standby;
        this.guests = guests;
        this.guestSettings = guestSettings;
        this.background = background;
        this.cu = compute.spec().cu();
        this.cache = keepCache && cgroup.isPresent() ? Optional.of(new CacheKeeping(compute.name(), server, background))
                : Optional.empty();
    }

    String name() {
        return compute.name();
    }

    String address() {
        return ProcessDriver.address(server);
    }

    /** Brings the compute to Running, or to Failed with the reason in the log. */
    void boot(Duration readyTimeout) {
        try {
            synchronized (this) {
                if (stopped) {
                    return;
                }
                prepare();
            }
            long deadline = System.nanoTime() + readyTimeout.toNanos();
            while (!server.ready()) {
                if (stopped) {
                    return;
                }
                if (!server.alive()) {
                    throw new IOException("its postmaster exited while starting; see " + server.config().logFile());
                }
                if (System.nanoTime() - deadline > 0) {
                    throw new IOException("it did not accept queries within " + readyTimeout.toSeconds()
                            + " s; see " + server.config().logFile());
                }
                LockSupport.parkNanos(READY_POLL_NANOS);
            }
            synchronized (this) {
                server.alterSystem(SizedSettings.of(cu));
                startGuest();
                phase = Compute.Phase.Running;
            }
            if (following()) {
                log.info("{} is warm: {}", name(), standby.get().run(server, readyTimeout, () -> stopped || takingOver.get()));
            }
            failedStarts = 0;
            failure = null;
            warm = true;
        } catch (IOException | SQLException | RuntimeException e) {
            if (stopped || takingOver.get()) {
                return; // what stopped it, or the take-over, says what follows
            }
            log.warn("starting {} failed", name(), e);
            failure = "starting failed: " + e.getMessage();
            failedStarts++;
            failedAtNanos = System.nanoTime();
            phase = Compute.Phase.Failed;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Whether a failed start is to be tried again now: what failed may pass (a dead postmaster of
     * the same data not reaped yet, a full disk), so it is retried with a doubling wait, as a
     * crash-looping container is, and reported Failed with its reason meanwhile.
     */
    boolean dueForRetry() {
        if (phase != Compute.Phase.Failed || stopped || failedStarts == 0 || takingOver.get()) {
            return false;
        }
        long wait = Math.min(LONGEST_RETRY.toNanos(), FIRST_RETRY.toNanos() << Math.min(failedStarts - 1, 16));
        return System.nanoTime() - failedAtNanos >= wait;
    }

    /** Data directory, settings, cgroup at the current size, then the postmaster inside it. */
    private void prepare() throws IOException, InterruptedException {
        if (!Files.isExecutable(server.config().binaries().postgres())) {
            throw new IOException("Postgres " + server.config().binaries().version() + " is not installed here"
                    + " (looked in /usr/lib/postgresql/" + server.config().binaries().version() + "/bin and PATH)");
        }
        Files.createDirectories(server.config().logFile().getParent());
        UnaryOperator<List<String>> launch = UnaryOperator.identity();
        if (cgroup.isPresent()) {
            ComputeCgroup group = cgroup.get();
            group.create();
            group.limitMemory(cu.memory());
            group.limitCpu(cu.cpu());
            launch = group::joiningCommand;
        }
        if (standby.isEmpty()) {
            server.initialize();
        } else if (!server.initialized()) {
            server.baseBackup(standby.get().primaryHost(), standby.get().primaryPort(), launch);
        }
        server.writeEndpointSettings(compute.spec().postgres().settings());
        server.start(launch);
    }

    /** Whether this compute is a standby that follows its endpoint's primary. */
    boolean following() {
        return standby.isPresent() && !promoted;
    }

    /** Claims the take-over of a standby promoted in the store: true once, for the caller that does it. */
    boolean beginTakeOver() {
        if (!following() || !takingOver.compareAndSet(false, true)) {
            return false;
        }
        phase = Compute.Phase.Starting;
        warm = false;
        return true;
    }

    /** The take-over promoted this standby: it is its endpoint's primary. */
    void promotedNow() {
        promoted = true;
        warm = true;
        phase = Compute.Phase.Running;
    }

    void failTakeOver(String why) {
        failure = why;
        phase = Compute.Phase.Failed;
    }

    /**
     * Upscale: memory, then CPU, then settings. Downscale: the guest's check first, then
     * memory (which reclaims page cache), and only when memory reached the new size CPU and
     * settings; otherwise memory goes back and the downscale is refused. The settings follow in
     * the background: a session to a compute at 0.25 CU can wait most of a CFS period for CPU, and
     * the host agent's other computes, one of them perhaps short of memory, must not wait for it.
     * With {@link CacheKeeping}, the cache is recorded before memory shrinks and loaded back, in
     * the background, once memory has grown (or gone back after a shrink that stopped at the floor,
     * which evicted the page cache all the same).
     */
    synchronized ResizeOutcome resize(Cu target) throws IOException {
        if (target.equals(cu)) {
            return new ResizeOutcome(cu, false, "already " + target + " CU");
        }
        boolean down = target.compareTo(cu) < 0;
        if (cgroup.isPresent()) {
            ComputeCgroup group = cgroup.get();
            if (down) {
                Optional<String> refusal = downscaleRefusal(group, target);
                if (refusal.isPresent()) {
                    return new ResizeOutcome(cu, true, refusal.get());
                }
                keepingCache().ifPresent(CacheKeeping::recordBeforeShrink);
            }
            ComputeCgroup.MemoryLimit memory = group.limitMemory(target.memory());
            if (memory.stoppedAtFloor()) {
                ComputeCgroup.MemoryLimit back = group.limitMemory(cu.memory());
                refillCache(group, back);
                return new ResizeOutcome(cu, true, String.format("memory stopped at %d MiB, above %s CU: %d MiB cannot be reclaimed",
                        memory.applied().value() >> 20, target, memory.usage().value() >> 20));
            }
            if (!down) {
                guests.ifPresent(g -> g.notifyUpscale(name(), memory.applied().value()));
            }
            group.limitCpu(target.cpu());
            if (!down) {
                refillCache(group, memory);
            }
        }
        cu = target;
        followInSettings(target);
        return new ResizeOutcome(target, false, "resized to " + target + " CU");
    }

    /** The cache keeping of a primary: a standby is warmed from its primary instead, and cannot make pg_prewarm. */
    private Optional<CacheKeeping> keepingCache() {
        return following() ? Optional.empty() : cache;
    }

    private void refillCache(ComputeCgroup group, ComputeCgroup.MemoryLimit grown) throws IOException {
        Optional<CacheKeeping> keeping = keepingCache();
        if (keeping.isPresent()) {
            keeping.get().refillAfterGrowth(grown.applied().value(), group.memoryBreakdown().unreclaimable());
        }
    }

    /** The latest load back of the compute's cache, when it is kept. */
    Optional<CacheKeeping.Refill> cacheRefill() {
        return cache.map(CacheKeeping::refill);
    }

    private void followInSettings(Cu size) {
        if (settingsDue.getAndSet(size) == null) {
            background.execute(this::writeDueSettings);
        }
    }

    /** Writes the settings of the latest size asked for, until no newer one is due. */
    private void writeDueSettings() {
        Cu size;
        while ((size = settingsDue.get()) != null) {
            try {
                if (!stopped) {
                    server.alterSystem(SizedSettings.of(size));
                }
            } catch (SQLException | RuntimeException e) {
                log.warn("the settings of {} for {} CU were not written: {}", name(), size, e.getMessage());
            }
            settingsDue.compareAndSet(size, null);
        }
    }

    /** The guest's answer when one runs; otherwise the same check, made here. */
    private Optional<String> downscaleRefusal(ComputeCgroup group, Cu target) throws IOException {
        if (guests.isEmpty()) {
            return DownscaleCheck.refusal(group.memoryBreakdown().unreclaimable(), target);
        }
        try {
            return guests.get().askDownscale(name(), target, DOWNSCALE_ANSWER_TIMEOUT);
        } catch (GuestConnections.GuestUnavailableException e) {
            return Optional.of(e.getMessage());
        }
    }

    /** Stops the guest, the postmaster and its backends, then removes the cgroup; the data stays. */
    synchronized void stop() throws IOException, InterruptedException {
        stopped = true;
        cache.ifPresent(CacheKeeping::cancel);
        stopGuest();
        server.stop();
        removeCgroup();
    }

    /**
     * Starts the guest agent again when it has been silent for {@link #GUEST_SILENCE_LIMIT}: without
     * it nothing catches memory pressure, downscales are refused and no metrics flow.
     *
     * @return whether it was started again
     */
    boolean restartGuestIfSilent(Instant now) {
        GuestAgent watched = guest;
        if (watched == null || phase != Compute.Phase.Running || guests.isEmpty()) {
            return false;
        }
        Instant startedAt = guestStartedAt;
        Instant heard = guests.get().lastHeard(name()).filter(at -> at.isAfter(startedAt)).orElse(startedAt);
        if (Duration.between(heard, now).compareTo(GUEST_SILENCE_LIMIT) <= 0) {
            return false;
        }
        synchronized (this) {
            if (guest != watched || stopped) {
                return false;
            }
            log.warn("the guest agent of {} has been silent since {}; starting it again", name(), heard);
            stopGuest();
            startGuest();
            return true;
        }
    }

    private void startGuest() {
        if (guest == null && guests.isPresent() && cgroup.isPresent()) {
            String token = guests.get().admit(name());
            guestStartedAt = Instant.now();
            guest = new GuestAgent(name(), token, cgroup.get(), guests.get().socket(), guestSettings.orElseThrow(),
                    Clock.systemUTC()).start();
        }
    }

    private void stopGuest() {
        if (guest != null) {
            guest.close();
            guest = null;
        }
        guests.ifPresent(g -> g.forget(name()));
    }

    private void removeCgroup() throws IOException {
        if (cgroup.isEmpty()) {
            return;
        }
        // Backends leave a moment after the postmaster.
        if (!cgroup.get().removeOnceEmpty(CGROUP_EMPTY_WAIT)) {
            log.warn("the cgroup of {} still holds processes {}; left in place", name(), cgroup.get().processes());
        }
    }
}
