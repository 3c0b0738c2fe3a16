package io.tidepool.agent.remote;

import io.tidepool.agent.HostAgent;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one host agent against a remote control plane: a full round (heartbeat, then converge)
 * every interval, and one more as soon as the control plane changes the host's computes, so that
 * a granted resize reaches the driver within milliseconds rather than at the next round, and as
 * soon as the driver says a compute changed by itself (a boot or a take-over finished). One
 * thread runs every round, since the agent is not thread-safe; a change during a round is not
 * lost, it makes the next round start at once.
 */
public final class AgentLoop implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AgentLoop.class);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final HostAgent agent;
    private final Duration interval;
    private final Clock clock;
    private final Thread thread;
    private final Object wakeup = new Object();
    private boolean changed;
    private boolean running = true;
    private String lastTrouble;
    private boolean wasFenced;

    /** @param interval how often the agent heartbeats and converges when nothing changes */
    public AgentLoop(HostAgent agent, RestLink link, Duration interval, Clock clock) {
        this.agent = agent;
        this.interval = interval;
        this.clock = clock;
        this.thread = new Thread(this::run, "host-agent-" + agent.name());
        link.onAssignedChange(this::wake);
        // A boot or a take-over finished on the driver's threads: reported now, not at the next round.
        agent.driver().onChange(this::wake);
    }

    public void start() {
        thread.start();
    }

    private void wake() {
        synchronized (wakeup) {
            changed = true;
            wakeup.notifyAll();
        }
    }

    /** A full round every interval; between rounds, a converge-only turn as soon as the computes change. */
    private void run() {
        long nextRound = System.nanoTime();
        while (true) {
            boolean woken;
            synchronized (wakeup) {
                if (!running) {
                    return;
                }
                woken = changed;
                changed = false;
            }
            if (System.nanoTime() - nextRound >= 0) {
                round();
                nextRound = System.nanoTime() + interval.toNanos();
            } else if (woken) {
                converge();
            }
            if (!awaitChangeOrRound(nextRound)) {
                return;
            }
        }
    }

    private void converge() {
        try {
            agent.converge(clock.instant());
        } catch (RuntimeException e) {
            log.warn("{}: converging on a change failed: {}", agent.name(), e.toString());
        }
    }

    /** Waits for a change or the next round; false when the loop was closed. */
    private boolean awaitChangeOrRound(long deadline) {
        synchronized (wakeup) {
            try {
                long left;
                while (running && !changed && (left = deadline - System.nanoTime()) > 0) {
                    TimeUnit.NANOSECONDS.timedWait(wakeup, left);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            return running;
        }
    }

    private void round() {
        String trouble = null;
        try {
            agent.step(clock.instant());
        } catch (RuntimeException e) {
            // A bad round must not end the loop: the next one starts from what the store says.
            trouble = "round failed: " + e.getMessage();
            if (!trouble.equals(lastTrouble)) {
                log.warn("{}: {}", agent.name(), trouble, e);
            }
        }
        lastTrouble = trouble;
        if (agent.fenced() != wasFenced) {
            wasFenced = agent.fenced();
            log.warn(wasFenced ? "{}: out of contact for longer than its lease: stopped every compute"
                    : "{}: no longer fenced: running what the control plane assigns again", agent.name());
        }
    }

    /** Stops after the round that runs now, if any; the agent's computes keep running until their driver stops them. */
    @Override
    public void close() {
        synchronized (wakeup) {
            running = false;
            wakeup.notifyAll();
        }
        try {
            thread.join(STOP_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
