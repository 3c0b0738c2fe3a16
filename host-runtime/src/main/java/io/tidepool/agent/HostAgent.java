package io.tidepool.agent;

import io.tidepool.api.agent.ComputeMetrics;
import io.tidepool.api.agent.UpscaleRequest;
import io.tidepool.api.quantity.Cu;
import io.tidepool.api.resource.Compute;
import io.tidepool.api.resource.Condition;
import io.tidepool.api.resource.Host;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent of one host: registers it, heartbeats with its computes' metrics, runs exactly the
 * computes the store assigns to it through its driver, resizes them to their spec (a downscale only
 * if the guest agrees), and reports what it observes. One {@link #step} is one round; the real agent
 * runs steps on a timer, simulations on a manual clock.
 *
 * <p>Self-fencing: when the control plane has not answered for longer than the lease (shorter than
 * the control plane's grace period), the agent stops every compute, since their replacements may be
 * starting elsewhere. Back in contact, it runs again only what the store still assigns to it.
 */
public final class HostAgent {
    /** Compute: the driver cannot run it here, and says why. */
    public static final String CANNOT_RUN = Compute.CANNOT_RUN;
    public static final String DOWNSCALE_REFUSED = "DownscaleRefused";
    private static final Logger log = LoggerFactory.getLogger(HostAgent.class);

    private final Host host;
    private final ControlPlaneLink link;
    private final ComputeDriver driver;
    private final Duration lease;
    /**
     * What the agent last wrote of each compute, and in which role the compute then was: a report
     * holds only for that role, since the control plane rewrites the status of a replacement it
     * promotes (Starting, until this agent says it runs as the primary).
     */
    private final Map<String, Reported> reported = new HashMap<>();
    private final Map<String, Condition> refusals = new HashMap<>();
    private final Map<String, Cu> refusedTargets = new HashMap<>();
    /** Kept while the driver gives the same reason, so that its time is when it was first seen. */
    private final Map<String, Condition> failures = new HashMap<>();
    /**
     * The create revision of the compute object each running compute was started for. A name can
     * come back as a new object (a replacement deleted and placed again under the same epoch):
     * what ran for the old one, and what was reported of it, is not the new one's.
     */
    private final Map<String, Long> incarnations = new HashMap<>();
    private Instant lastContact;
    private boolean registered;
    private boolean fenced;

    public HostAgent(Host host, ControlPlaneLink link, ComputeDriver driver, Duration lease) {
        this.host = host;
        this.link = link;
        this.driver = driver;
        this.lease = lease;
        driver.onUpscaleRequest(this::passOn);
    }

    /** A guest's call for memory goes to the control plane at once, from the thread it came on. */
    private void passOn(String compute, UpscaleRequest request) {
        try {
            link.requestUpscale(compute, request);
        } catch (ControlPlaneLink.UnreachableException e) {
            log.debug("{}: the call for memory of {} was not passed on: {}", host.name(), compute, e.getMessage());
        } catch (RuntimeException e) {
            log.warn("{}: passing on the call for memory of {} failed", host.name(), compute, e);
        }
    }

    public String name() {
        return host.name();
    }

    /** Whether the agent stopped its computes because it lost the control plane for longer than its lease. */
    public boolean fenced() {
        return fenced;
    }

    public ComputeDriver driver() {
        return driver;
    }

    public void step(Instant now) {
        if (lastContact == null) {
            lastContact = now;
        }
        List<Compute> assigned;
        try {
            if (!registered) {
                link.register(host);
                registered = true;
            }
            link.heartbeat(host.name(), now, metrics(now));
            assigned = link.assigned(host.name());
            lastContact = now;
            fenced = false;
        } catch (ControlPlaneLink.UnreachableException e) {
            if (Duration.between(lastContact, now).compareTo(lease) > 0 && !fenced) {
                for (String compute : List.copyOf(driver.running())) {
                    driver.stop(compute, now);
                }
                reported.clear();
                incarnations.clear();
                failures.clear();
                fenced = true;
            }
            return;
        }
        converge(assigned, now);
    }

    /**
     * Converges the computes to what the store assigns now, between rounds: what a change to a
     * compute (a granted upscale) calls for at once rather than at the next round. Nothing while the
     * agent has not registered yet or is fenced: its round decides those.
     */
    public void converge(Instant now) {
        if (!registered || fenced) {
            return;
        }
        List<Compute> assigned;
        try {
            assigned = link.assigned(host.name());
        } catch (ControlPlaneLink.UnreachableException e) {
            return;
        }
        converge(assigned, now);
    }

    private Map<String, ComputeMetrics> metrics(Instant now) {
        Map<String, ComputeMetrics> metrics = new HashMap<>();
        for (String compute : driver.running()) {
            driver.metrics(compute, now).ifPresent(m -> metrics.put(compute, m));
        }
        return metrics;
    }

    private void converge(List<Compute> assigned, Instant now) {
        Set<String> wanted = new HashSet<>();
        for (Compute compute : assigned) {
            wanted.add(compute.name());
            Long incarnation = incarnations.put(compute.name(), compute.metadata().createRevision());
            if (incarnation != null && incarnation != compute.metadata().createRevision()) {
                forget(compute.name(), now);
            }
            if (compute.spec().role() == Compute.Role.fenced) {
                fence(compute, now);
                continue;
            }
            if (driver.running().contains(compute.name())) {
                driver.follow(compute, now);
            } else {
                driver.start(compute, now);
            }
            Optional<ComputeDriver.Observed> observed = driver.observe(compute.name(), now);
            Cu target = compute.spec().cu();
            if (observed.isPresent() && observed.get().phase() == Compute.Phase.Running && target != null) {
                if (!target.equals(observed.get().cu())) {
                    resize(compute, observed.get().cu(), target, now);
                    observed = driver.observe(compute.name(), now);
                } else {
                    // The control plane put the size back: the refusal is answered, and a later
                    // downscale, to whatever size, is asked afresh.
                    refusals.remove(compute.name());
                    refusedTargets.remove(compute.name());
                }
            }
            observed.ifPresent(o -> report(compute, o, now));
        }
        for (String running : List.copyOf(driver.running())) {
            if (!wanted.contains(running)) {
                // Deleted, or assigned elsewhere under a newer epoch: never keep a second primary.
                forget(running, now);
            }
        }
        reported.keySet().retainAll(wanted);
        incarnations.keySet().retainAll(wanted);
        failures.keySet().retainAll(wanted);
    }

    /** Stops the compute if it runs and drops what the agent knew of it. */
    private void forget(String compute, Instant now) {
        if (driver.running().contains(compute)) {
            driver.stop(compute, now);
        }
        reported.remove(compute);
        refusals.remove(compute);
        refusedTargets.remove(compute);
        failures.remove(compute);
    }

    /** A fenced former primary stops before its replacement is promoted; saying so is what lets the switch go on. */
    private void fence(Compute compute, Instant now) {
        if (driver.running().contains(compute.name())) {
            driver.stop(compute.name(), now);
        }
        refusals.remove(compute.name());
        refusedTargets.remove(compute.name());
        Compute.Status stopped = new Compute.Status(Compute.Phase.Stopped, Cu.ZERO, null, false, List.of());
        if (!Objects.equals(stopped, compute.status()) && !alreadyReported(compute, stopped)
                && link.report(compute.name(), stopped)) {
            reported.put(compute.name(), new Reported(compute.spec().role(), stopped));
        }
    }

    private void resize(Compute compute, Cu from, Cu target, Instant now) {
        // A refused downscale is not asked again until the control plane puts the size back or asks another.
        if (target.compareTo(from) < 0 && target.equals(refusedTargets.get(compute.name()))) {
            return;
        }
        ComputeDriver.ResizeOutcome outcome = driver.resize(compute.name(), target, now);
        if (outcome.refused()) {
            refusals.put(compute.name(), new Condition(DOWNSCALE_REFUSED, Condition.Status.True, "WouldNotFit",
                    "downscale " + from + " to " + target + " CU refused: " + outcome.explanation(), now));
            refusedTargets.put(compute.name(), target);
        } else {
            refusals.remove(compute.name());
            refusedTargets.remove(compute.name());
        }
    }

    private void report(Compute compute, ComputeDriver.Observed observed, Instant now) {
        List<Condition> conditions = new ArrayList<>();
        Condition refusal = refusals.get(compute.name());
        if (refusal != null) {
            conditions.add(refusal);
        }
        if (observed.failure() == null) {
            failures.remove(compute.name());
        } else {
            // A new reason keeps the time the compute began failing: it has been failing since then.
            conditions.add(failures.compute(compute.name(), (name, known) -> known == null
                    ? new Condition(CANNOT_RUN, Condition.Status.True, "DriverRefused", observed.failure(), now)
                    : known.message().equals(observed.failure()) ? known
                    : new Condition(CANNOT_RUN, Condition.Status.True, "DriverRefused", observed.failure(),
                            known.lastTransitionTime())));
        }
        Compute.Status status = new Compute.Status(observed.phase(), observed.cu(), observed.address(),
                observed.warm(), conditions);
        // The assigned list may lag a report the agent made: compare with both, so nothing is written twice.
        if (Objects.equals(status, compute.status()) || alreadyReported(compute, status)) {
            return;
        }
        if (link.report(compute.name(), status)) {
            reported.put(compute.name(), new Reported(compute.spec().role(), status));
        }
    }

    private boolean alreadyReported(Compute compute, Compute.Status status) {
        Reported last = reported.get(compute.name());
        return last != null && last.role() == compute.spec().role() && last.status().equals(status);
    }

    private record Reported(Compute.Role role, Compute.Status status) {
    }
}
