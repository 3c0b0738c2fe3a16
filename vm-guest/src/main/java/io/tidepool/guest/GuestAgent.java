package io.tidepool.guest;

import io.tidepool.api.agent.UpscaleRequest;
import io.tidepool.guest.cgroup.ComputeCgroup;
import io.tidepool.guest.cgroup.NumberFile;
import io.tidepool.guest.metrics.CgroupSampler;
import io.tidepool.guest.pressure.BriefFreeze;
import io.tidepool.guest.pressure.PressureWatch;
import io.tidepool.guest.pressure.ReliefTimes;
import io.tidepool.guest.protocol.GuestMessage;
import io.tidepool.guest.protocol.MessageChannel;
import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The guest agent of one compute: it watches the compute's cgroup every few milliseconds and calls
 * for memory the moment what cannot be reclaimed nears the limit, keeps tasks waiting at the limit
 * rather than killed while the call is answered (bounded, see {@link PressureWatch}), answers
 * downscale requests with {@link DownscaleCheck}, and sends its metrics every second. It speaks to
 * its host agent over {@link MessageChannel}, on one thread that waits on the socket between
 * readings so that a message from the host (a raised limit) is acted on at once.
 */
public final class GuestAgent implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GuestAgent.class);
    private static final int RELIEF_TIMES_KEPT = 10_000;

    /**
     * @param pollInterval    how often memory is read
     * @param metricsInterval how often metrics are sampled and sent
     * @param reconnectPause  how long to wait before connecting again after a failure
     */
    public record Settings(Duration pollInterval, Duration metricsInterval, Duration reconnectPause,
                           PressureWatch.Settings pressure) {
        public static final Settings DEFAULT = new Settings(Duration.ofMillis(5), Duration.ofSeconds(1),
                Duration.ofMillis(200), PressureWatch.Settings.DEFAULT);
    }

    private final String compute;
    private final String token;
    private final ComputeCgroup cgroup;
    private final Path socket;
    private final Settings settings;
    private final Clock clock;
    private final PressureWatch watch;
    private final CgroupSampler sampler;
    private final ReliefTimes reliefs = new ReliefTimes(RELIEF_TIMES_KEPT);
    /** Only where tasks cannot wait at the limit (v2). */
    private final BriefFreeze freeze = new BriefFreeze(BriefFreeze.Settings.DEFAULT);
    private final Thread thread;
    private volatile boolean closed;
    private MessageChannel channel;
    private volatile Selector selector;
    private volatile boolean welcomed;
    private Instant nextConnectAt = Instant.MIN;
    /** In the clock's milliseconds: the loop checks it every reading, and millis() allocates nothing. */
    private long nextMetricsAtMillis = Long.MIN_VALUE;

    public GuestAgent(String compute, String token, ComputeCgroup cgroup, Path socket, Settings settings, Clock clock) {
        this.compute = compute;
        this.token = token;
        this.cgroup = cgroup;
        this.socket = socket;
        this.settings = settings;
        this.clock = clock;
        this.watch = new PressureWatch(settings.pressure());
        this.sampler = new CgroupSampler(cgroup);
        this.thread = new Thread(this::run, "guest-" + compute);
        thread.setDaemon(true);
    }

    public GuestAgent start() {
        thread.start();
        return this;
    }

    /** Whether the host agent has accepted this guest's hello on the current connection. */
    public boolean welcomed() {
        return welcomed;
    }

    /** How long pressure lasted before the limit was raised, in nanoseconds, sorted: the latest reliefs only. */
    public synchronized long[] reliefNanos() {
        return reliefs.sortedNanos();
    }

    private void run() {
        try (NumberFile usage = new NumberFile(cgroup.memoryUsageFile());
             NumberFile limit = new NumberFile(cgroup.memoryLimitFile())) {
            while (!closed) {
                waitForMessages();
                watchMemory(usage, limit);
                if (clock.millis() >= nextMetricsAtMillis) {
                    sendMetrics();
                }
            }
        } catch (IOException e) {
            if (!closed) {
                log.warn("guest agent of {} stopped: its cgroup cannot be read: {}", compute, e.toString());
            }
        } finally {
            thawIfFrozen();
            disconnect();
        }
    }

    private void thawIfFrozen() {
        if (freeze.release()) {
            try {
                cgroup.thaw();
            } catch (IOException e) {
                log.error("guest agent of {}: its compute stays frozen, thawing failed: {}", compute, e.toString());
            }
        }
    }

    /** Waits up to one poll interval, connected or not, handling what the host says meanwhile. */
    private void waitForMessages() {
        if (channel == null && !clock.instant().isBefore(nextConnectAt)) {
            connect();
        }
        long waitMillis = settings.pollInterval().toMillis();
        if (freeze.frozen()) {
            // A freeze ends on time, not at the next reading after its end.
            waitMillis = Math.min(waitMillis, Duration.between(clock.instant(), freeze.thawBy()).toMillis());
        }
        if (channel == null) {
            LockSupport.parkNanos(Duration.ofMillis(Math.max(0, waitMillis)).toNanos());
            return;
        }
        try {
            if (selector.select(Math.max(1, waitMillis)) > 0) {
                selector.selectedKeys().clear();
                for (GuestMessage message : channel.receive()) {
                    handle(message);
                }
            }
        } catch (IOException e) {
            if (!closed) {
                log.info("guest agent of {}: connection to the host agent lost: {}", compute, e.getMessage());
            }
            disconnect();
            nextConnectAt = clock.instant().plus(settings.reconnectPause());
        }
    }

    private void connect() {
        try {
            channel = MessageChannel.connect(socket);
            channel.send(new GuestMessage.Hello(GuestMessage.VERSION, compute, token));
            channel.channel().configureBlocking(false);
            selector = Selector.open();
            channel.channel().register(selector, SelectionKey.OP_READ);
        } catch (IOException e) {
            log.debug("guest agent of {}: cannot reach the host agent at {}: {}", compute, socket, e.getMessage());
            disconnect();
            nextConnectAt = clock.instant().plus(settings.reconnectPause());
        }
    }

    private void handle(GuestMessage message) throws IOException {
        if (message instanceof GuestMessage.Welcome) {
            welcomed = true;
        } else if (message instanceof GuestMessage.Rejected rejected) {
            throw new IOException("the host agent refused this guest: " + rejected.reason());
        } else if (message instanceof GuestMessage.UpscaleNotification) {
            // Nothing to do: the next reading, within a poll interval, reads the raised limit.
        } else if (message instanceof GuestMessage.DownscaleRequest request) {
            Optional<String> refusal = DownscaleCheck.refusal(cgroup.memoryBreakdown().unreclaimable(), request.target());
            channel.send(new GuestMessage.DownscaleResult(request.id(), refusal.isEmpty(), refusal.orElse("")));
        } else if (message instanceof GuestMessage.HealthCheck check) {
            channel.send(new GuestMessage.HealthReply(check.id()));
        } else {
            throw new IOException("a guest does not expect " + message.getClass().getSimpleName() + " from its host");
        }
    }

    /**
     * One reading. Usage and the limit are read each time (a pread each): the limit drops on every
     * downscale, and a threshold from the limit before one would miss a compute filling its new,
     * smaller limit until the next metrics tick. The breakdown, which says how much of the usage is
     * page cache the kernel can reclaim, is read only once usage nears the limit, which a compute
     * with a full cache does all the time, and one filling memory too.
     */
    private void watchMemory(NumberFile usage, NumberFile limit) throws IOException {
        long used = usage.read();
        long limitBytes = limit.read();
        long threshold = (long) (limitBytes * settings.pressure().threshold());
        if (used < threshold && watch.settled() && reliefs.idle() && !freeze.frozen()) {
            return; // nothing to do, and nothing allocated to find that out
        }
        Instant now = clock.instant();
        PressureWatch.Reading reading;
        boolean pressure = false;
        if (used >= threshold) {
            boolean underOom = cgroup.canHoldAtLimit() && cgroup.underOom();
            long unreclaimable = cgroup.memoryBreakdown().unreclaimable();
            reading = new PressureWatch.Reading(now, limitBytes, unreclaimable, underOom);
            pressure = underOom || unreclaimable >= (long) (limitBytes * settings.pressure().threshold());
        } else {
            // Below the threshold in all, so below it in what cannot be reclaimed.
            reading = new PressureWatch.Reading(now, limitBytes, used, false);
        }
        synchronized (this) {
            reliefs.observe(now, limitBytes, pressure);
        }
        for (PressureWatch.Action action : watch.next(reading)) {
            if (action instanceof PressureWatch.RequestUpscale request) {
                send(new GuestMessage.Upscale(new UpscaleRequest(now, request.neededBytes(), request.reason())));
            } else if (action instanceof PressureWatch.HoldAtLimit hold && cgroup.canHoldAtLimit()) {
                cgroup.holdTasksAtLimit(hold.hold());
                if (!hold.hold()) {
                    log.warn("guest agent of {}: tasks waited at the limit for {} with no raise; the kernel may now kill",
                            compute, settings.pressure().holdMax());
                }
            }
        }
        // After the call for memory has gone out: the freeze is there to wait for its answer.
        if (!cgroup.canHoldAtLimit()) {
            switch (freeze.next(now, limitBytes, pressure && used >= cgroup.throttlingFrom(limitBytes))) {
                case FREEZE -> cgroup.freeze();
                case THAW -> cgroup.thaw();
                case NONE -> { }
            }
        }
    }

    private void sendMetrics() throws IOException {
        Instant now = clock.instant();
        nextMetricsAtMillis = now.toEpochMilli() + settings.metricsInterval().toMillis();
        send(new GuestMessage.Metrics(sampler.sample(now)));
    }

    /** Sends when welcomed; a message that cannot be sent now is dropped (the watch asks again). */
    private void send(GuestMessage message) {
        if (channel == null || !welcomed) {
            return;
        }
        try {
            channel.send(message);
        } catch (IOException e) {
            log.info("guest agent of {}: sending to the host agent failed: {}", compute, e.getMessage());
            disconnect();
            nextConnectAt = clock.instant().plus(settings.reconnectPause());
        }
    }

    private void disconnect() {
        welcomed = false;
        try {
            if (selector != null) {
                selector.close();
            }
            if (channel != null) {
                channel.close();
            }
        } catch (IOException e) {
            log.debug("guest agent of {}: closing its connection: {}", compute, e.getMessage());
        }
        selector = null;
        channel = null;
    }

    /** Stops the agent and waits for its thread; tasks are no longer held at the limit after. */
    @Override
    public void close() {
        closed = true;
        Selector waiting = selector;
        if (waiting != null) {
            waiting.wakeup();
        }
        try {
            thread.join(Duration.ofSeconds(5).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (cgroup.canHoldAtLimit()) {
            try {
                cgroup.holdTasksAtLimit(false);
            } catch (IOException e) {
                log.debug("guest agent of {}: its cgroup is gone: {}", compute, e.getMessage());
            }
        }
    }
}
