package io.tidepool.sim.bench;

import io.tidepool.api.quantity.Bytes;
import io.tidepool.api.quantity.Cu;
import io.tidepool.api.quantity.MilliCpu;
import io.tidepool.api.resource.Cell;
import io.tidepool.api.resource.Endpoint;
import io.tidepool.api.resource.HostShape;
import io.tidepool.api.resource.ObjectMeta;
import io.tidepool.api.resource.Resource;
import io.tidepool.control.FleetCache;
import io.tidepool.reconcile.Controller;
import io.tidepool.reconcile.ManualClock;
import io.tidepool.registry.ResourceRegistry;
import io.tidepool.sim.SimFleet;
import io.tidepool.sim.workload.Workloads;
import io.tidepool.store.Op;
import io.tidepool.store.Store;
import io.tidepool.store.Txn;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * One run of the fleet benchmark on a store that is already up: (a) the cell and its hosts, which
 * register and become ready; (b) the endpoints written in batched transactions, then every one
 * placed; (c) a simulated hour of load; the heap after each. Every phase is timed on the wall clock;
 * the fleet itself runs on a manual clock, so the work per step is the same from run to run.
 */
final class FleetScaleRun {
    static final Instant START = Instant.parse("2026-01-05T00:00:00Z");
    /** A big bare-metal host: 96 vCPUs and 384 GiB, 96 CU. */
    static final HostShape HOST = new HostShape(new MilliCpu(96_000), new Bytes(384L << 30));
    static final String CELL = "bench";
    /** Steps needed at most to place everything before the run counts as failed. */
    private static final int PLACEMENT_STEPS_MAX = 60;
    /** The first minutes of the hour are computes starting; steady state is measured after them. */
    private static final Duration WARM_UP = Duration.ofMinutes(10);
    private static final Duration PROGRESS_EVERY = Duration.ofMinutes(10);

    /**
     * What to run: sizes, seed, how many endpoints one write transaction carries, how long to
     * simulate, how many agents and keys of a controller run at once (SimFleet.Settings).
     */
    record Plan(int endpoints, int hosts, long seed, int endpointsPerTxn, Duration simulated, int parallelism,
                Path profileDir) {
    }

    /** What one run measured. Rates are per second of wall time. */
    record Outcome(double setupSeconds, double writeSeconds, double placeSeconds, int placeSteps, long placeTxns,
                   double hourSeconds, long hourReconciles, double steadyReconcilesPerSecond,
                   double steadyTxnsPerSecond, double steadySimSecondsPerSecond, long maxStepMillis,
                   long heapAfterPlaceBytes, long heapAfterHourBytes, long heapPeakAfterGcBytes, int relists) {
    }

    private final Plan plan;
    private final CountingStore store;
    private final Consumer<String> log;
    private final PhaseRecorder recorder;

    FleetScaleRun(Plan plan, Store store, Consumer<String> log) {
        this.plan = plan;
        this.store = new CountingStore(store);
        this.log = log;
        this.recorder = new PhaseRecorder(plan.profileDir());
    }

    Outcome run() throws InterruptedException {
        ManualClock clock = new ManualClock(START);
        try (HeapWatch heap = new HeapWatch();
             SimFleet fleet = new SimFleet(store, clock, Workloads.mix(plan.seed(), START)::of,
                     SimFleet.Settings.DEFAULT.withParallelism(plan.parallelism()))) {
            long t0 = System.nanoTime();
            write(List.of(cell()));
            for (int h = 0; h < plan.hosts(); h++) {
                fleet.addHost(CELL, hostName(h), HOST);
            }
            fleet.lead();
            FleetCache cache = fleet.loop().cache();
            recorder.start("setup");
            stepUntil(fleet, () -> readyHosts(cache) == plan.hosts(), "every host ready");
            recorder.stop();
            long t1 = System.nanoTime();
            log.accept(String.format("hosts ready in %.1f s; %s", seconds(t1 - t0), phaseStats(fleet)));
            recorder.start("write");
            writeEndpoints(fleet);
            recorder.stop();
            long t2 = System.nanoTime();
            log.accept(String.format("%d endpoints written in %.1f s; process CPU %.1f s", plan.endpoints(),
                    seconds(t2 - t1), processCpuSeconds()));
            CountingStore.Counts beforePlacing = store.counts();
            recorder.start("place");
            int steps = stepUntil(fleet, () -> placed(cache) == plan.endpoints(), "every endpoint placed");
            recorder.stop();
            long t3 = System.nanoTime();
            long placeTxns = store.counts().minus(beforePlacing).txns();
            log.accept(String.format("placed in %.1f s, %d step(s), %d txns; %s", seconds(t3 - t2), steps, placeTxns,
                    phaseStats(fleet)));
            long heapAfterPlace = HeapWatch.usedAfterFullGcBytes();
            recorder.start("hour");
            Hour hour = simulate(fleet);
            recorder.stop();
            log.accept(String.format("simulated %s in %.1f s; %s", plan.simulated(), hour.seconds, phaseStats(fleet)));
            long heapAfterHour = HeapWatch.usedAfterFullGcBytes();
            return new Outcome(seconds(t1 - t0), seconds(t2 - t1), seconds(t3 - t2), steps, placeTxns,
                    hour.seconds, hour.reconciles, hour.steadyReconciles / hour.steadySeconds,
                    hour.steadyTxns / hour.steadySeconds, hour.steadySimSeconds / hour.steadySeconds,
                    hour.maxStepMillis, heapAfterPlace, heapAfterHour, heap.peakAfterGcBytes(), cache.relists());
        }
    }

    private record Hour(double seconds, long reconciles, double steadySeconds, long steadyReconciles,
                        long steadyTxns, double steadySimSeconds, long maxStepMillis) {
    }

    private Hour simulate(SimFleet fleet) throws InterruptedException {
        Instant from = fleet.clock().instant();
        Instant steadyFrom = from.plus(WARM_UP.compareTo(plan.simulated()) < 0 ? WARM_UP : Duration.ZERO);
        Instant until = from.plus(plan.simulated());
        long start = System.nanoTime();
        long reconcilesAtStart = reconciles(fleet);
        long steadyStart = 0;
        long steadyReconcilesAtStart = 0;
        long steadyTxnsAtStart = 0;
        Instant steadySimStart = null;
        long maxStepNanos = 0;
        while (fleet.clock().instant().isBefore(until)) {
            if (steadySimStart == null && !fleet.clock().instant().isBefore(steadyFrom)) {
                steadyStart = System.nanoTime();
                steadyReconcilesAtStart = reconciles(fleet);
                steadyTxnsAtStart = store.counts().txns();
                steadySimStart = fleet.clock().instant();
            }
            long stepStart = System.nanoTime();
            fleet.step();
            maxStepNanos = Math.max(maxStepNanos, System.nanoTime() - stepStart);
            Duration simulated = Duration.between(from, fleet.clock().instant());
            if (simulated.toSeconds() % PROGRESS_EVERY.toSeconds() == 0) {
                log.accept(String.format("%s simulated, %.1f s; %s", simulated, seconds(System.nanoTime() - start),
                        phaseStats(fleet)));
            }
        }
        long end = System.nanoTime();
        if (steadySimStart == null) {
            return new Hour(0, 0, 0, 0, 0, 0, 0);
        }
        return new Hour(seconds(end - start), reconciles(fleet) - reconcilesAtStart, seconds(end - steadyStart),
                reconciles(fleet) - steadyReconcilesAtStart, store.counts().txns() - steadyTxnsAtStart,
                Duration.between(steadySimStart, fleet.clock().instant()).toMillis() / 1000.0, maxStepNanos / 1_000_000);
    }

    /** Writes the endpoints in batches; the leader's cache follows the writes, as its pump thread would. */
    private void writeEndpoints(SimFleet fleet) throws InterruptedException {
        SplittableRandom random = new SplittableRandom(plan.seed());
        List<Endpoint> batch = new ArrayList<>(plan.endpointsPerTxn());
        for (int i = 0; i < plan.endpoints(); i++) {
            batch.add(endpoint(i, random));
            if (batch.size() == plan.endpointsPerTxn() || i == plan.endpoints() - 1) {
                write(batch);
                batch.clear();
                fleet.loop().cache().pumpAvailable();
                fleet.link().pump();
            }
        }
    }

    private void write(List<? extends Resource> resources) {
        List<Op> puts = resources.stream().map(r -> (Op) ResourceRegistry.putOp(r)).toList();
        if (!store.txn(Txn.of(List.of(), puts)).succeeded()) {
            throw new IllegalStateException("an unconditional write failed");
        }
    }

    private static int stepUntil(SimFleet fleet, BooleanSupplier done, String what)
            throws InterruptedException {
        for (int step = 1; step <= PLACEMENT_STEPS_MAX; step++) {
            fleet.step();
            if (done.getAsBoolean()) {
                return step;
            }
        }
        throw new IllegalStateException("not reached after " + PLACEMENT_STEPS_MAX + " steps: " + what);
    }

    private static long readyHosts(FleetCache cache) {
        return cache.hosts.list().stream()
                .filter(h -> h.status() != null && Boolean.TRUE.equals(h.status().ready()) && h.status().capacityCu() != null)
                .count();
    }

    private static long placed(FleetCache cache) {
        return cache.endpoints.list().stream()
                .filter(e -> e.status() != null && e.status().compute() != null
                        && cache.computes.get(e.status().compute()).isPresent())
                .count();
    }

    private static long reconciles(SimFleet fleet) {
        return fleet.loop().controllers().stream().mapToLong(c -> c.stats().reconciles()).sum();
    }

    private Cell cell() {
        return new Cell(ObjectMeta.named(CELL), new Cell.Spec(HOST, null, 0.9, 1.0, null, plan.hosts()), null);
    }

    static String hostName(int index) {
        return String.format("h-%05d", index);
    }

    /** Mostly small databases, as serverless fleets have: 0.25 to 1 CU to start, up to 8 CU. */
    private static Endpoint endpoint(int index, SplittableRandom random) {
        Cu min = Cu.ofQuarters(1 + random.nextInt(4));
        Cu max = min.plus(Cu.ofQuarters(random.nextInt(29)));
        return new Endpoint(ObjectMeta.named(String.format("db-%06d", index)),
                new Endpoint.Spec(CELL, new Endpoint.ComputeRange(min, max), null, null, null), null);
    }

    private static double processCpuSeconds() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1e9;
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    /** The controllers' counters so far and the store's, for a breakdown in the log. */
    private String phaseStats(SimFleet fleet) {
        StringBuilder text = new StringBuilder(String.format("process CPU %.1f s; %s; ", processCpuSeconds(), store.counts()));
        for (Controller<String> controller : fleet.loop().controllers()) {
            Controller.Stats stats = controller.stats();
            text.append(String.format("%s=%d (%.1f s) ", controller.name(), stats.reconciles(), stats.busy().toMillis() / 1000.0));
        }
        return text.toString().trim();
    }
}
