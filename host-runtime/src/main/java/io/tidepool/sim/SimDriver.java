package io.tidepool.sim;

import io.tidepool.agent.ComputeDriver;
import io.tidepool.api.agent.ComputeMetrics;
import io.tidepool.api.quantity.Cu;
import io.tidepool.api.resource.Compute;
import io.tidepool.guest.DownscaleCheck;
import io.tidepool.sim.workload.SimulatedUsage;
import io.tidepool.sim.workload.Workload;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The sim driver: computes that exist only in memory, whose metrics come from a usage model (a
 * workload per endpoint), so that a fleet of thousands of hosts scales, migrates and restarts as a
 * real one would. Starting takes {@code startDelay}; a downscale is refused by the guest's own rule
 * ({@link DownscaleCheck}).
 */
public final class SimDriver implements ComputeDriver {
    private final String host;
    private final Function<String, Workload> workloads;
    private final Duration startDelay;
    private final Map<String, SimCompute> computes = new LinkedHashMap<>();
    private volatile Predicate<Compute> failsToStart = compute -> false;

    private static final class SimCompute {
        final SimulatedUsage usage;
        final Instant startedAt;
        final boolean failing;
        Cu cu;
        ComputeMetrics latest;

        SimCompute(SimulatedUsage usage, Cu cu, Instant startedAt, boolean failing) {
            this.usage = usage;
            this.cu = cu;
            this.startedAt = startedAt;
            this.failing = failing;
        }
    }

    /** @param workloads what each endpoint's tenant demands over time */
    public SimDriver(String host, Function<String, Workload> workloads, Duration startDelay) {
        this.host = host;
        this.workloads = workloads;
        this.startDelay = startDelay;
    }

    /** Computes started from now on that match never run: they report Failed, as a start that always fails does. */
    public void failStartsOf(Predicate<Compute> which) {
        failsToStart = which;
    }

    @Override
    public void start(Compute compute, Instant now) {
        computes.computeIfAbsent(compute.name(), name -> new SimCompute(
                new SimulatedUsage(workloads.apply(compute.spec().endpoint()), now), compute.spec().cu(), now,
                failsToStart.test(compute)));
    }

    @Override
    public ResizeOutcome resize(String name, Cu target, Instant now) {
        SimCompute compute = computes.get(name);
        if (compute == null) {
            return new ResizeOutcome(Cu.ZERO, true, name + " does not run here");
        }
        if (target.compareTo(compute.cu) < 0) {
            Optional<String> refusal = DownscaleCheck.refusal(sample(compute, now).memoryUsedBytes(), target);
            if (refusal.isPresent()) {
                return new ResizeOutcome(compute.cu, true, refusal.get());
            }
        }
        compute.cu = target;
        return new ResizeOutcome(target, false, "resized to " + target + " CU");
    }

    @Override
    public void stop(String name, Instant now) {
        computes.remove(name);
    }

    @Override
    public Set<String> running() {
        return java.util.Collections.unmodifiableSet(computes.keySet());
    }

    @Override
    public Optional<Observed> observe(String name, Instant now) {
        SimCompute compute = computes.get(name);
        if (compute == null) {
            return Optional.empty();
        }
        if (compute.failing) {
            return Optional.of(new Observed(Compute.Phase.Failed, compute.cu, null, false,
                    "starting failed: the sim driver was told this compute never starts"));
        }
        boolean started = !now.isBefore(compute.startedAt.plus(startDelay));
        return Optional.of(new Observed(started ? Compute.Phase.Running : Compute.Phase.Starting, compute.cu,
                "sim://" + host + "/" + name, started));
    }

    @Override
    public Optional<ComputeMetrics> metrics(String name, Instant now) {
        SimCompute compute = computes.get(name);
        if (compute == null || compute.failing || now.isBefore(compute.startedAt.plus(startDelay))) {
            return Optional.empty();
        }
        return Optional.of(sample(compute, now));
    }

    private static ComputeMetrics sample(SimCompute compute, Instant now) {
        if (compute.latest == null || !compute.latest.at().equals(now)) {
            compute.latest = compute.usage.tick(now, compute.cu);
        }
        return compute.latest;
    }
}
