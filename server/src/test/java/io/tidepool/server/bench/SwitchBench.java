package io.tidepool.server.bench;

import io.tidepool.api.quantity.Bytes;
import io.tidepool.api.quantity.MilliCpu;
import io.tidepool.api.resource.Compute;
import io.tidepool.api.resource.Endpoint;
import io.tidepool.api.resource.HostShape;
import io.tidepool.api.resource.Kind;
import io.tidepool.control.ControlLoop;
import io.tidepool.guest.cgroup.CgroupLayout;
import io.tidepool.guest.cgroup.CgroupTree;
import io.tidepool.postgres.PostgresBinaries;
import io.tidepool.process.ProcessDriver;
import io.tidepool.registry.ResourceKeys;
import io.tidepool.registry.ResourceRegistry;
import io.tidepool.server.LocalFleet;
import io.tidepool.server.hosts.LocalHosts;
import io.tidepool.server.hosts.MovableClock;
import io.tidepool.proxy.Forwarding;
import io.tidepool.server.proxy.PortRange;
import io.tidepool.server.proxy.ProxySettings;
import io.tidepool.store.Await;
import io.tidepool.store.LoopbackPort;
import io.tidepool.store.Store;
import io.tidepool.store.Watch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The zero-downtime benchmarks of issue 6, driven by {@code bench/switch.sh}, on a real fleet: a
 * one-node store in this JVM with the real control loop and the endpoint proxy, one local host
 * running the process driver (real Postgres in real cgroups). Needs root, cgroups and Postgres 15.
 * <ul>
 *   <li>{@code switch --mode prewarm|copy|cold [--scale 20] [--readers 4]}: select-only load and
 *       a writer through the proxy; a planned restart in the middle. {@code prewarm}: the
 *       replacement streams and loads the primary's hot pages; {@code copy}: it streams but loads
 *       nothing (its page cache holds what pg_basebackup wrote); {@code cold}: as copy, and the
 *       page cache is dropped at the fence, as a restarted compute's would be. Prints a series
 *       line (throughput each second from 10 s before to 60 s after the switch, as a fraction of
 *       the mean of the 10 s before the restart was asked for) and a summary line, which ends with
 *       the throughput of the second from the moment the readers answered again. With
 *       {@code --warmup-switches N}, N planned restarts under the same load go first, unmeasured,
 *       as a control plane that has been up for a while has done: the JVM has compiled the
 *       switch's code paths before the measured one.</li>
 *   <li>{@code overhead [--seconds 20] [--rounds 3] [--clients 4]}: pgbench -S straight to the
 *       primary and through the proxy, alternately; prints each round's two figures, and whether
 *       the proxy steered the endpoint's new connections straight to its primary.</li>
 *   <li>Every verb: {@code --cu N} sizes the endpoint (1 unless given); {@code --proxy steer|splice|copy}
 *       says how the proxy forwards (io.tidepool.proxy.Forwarding; steer unless given): {@code splice}
 *       keeps the proxy in every connection, as it is for a primary on another machine.</li>
 *   <li>{@code resume [--trials 10]}: an endpoint suspended, then a new connection through the proxy
 *       until its first query's answer; prints each trial's milliseconds.</li>
 * </ul>
 */
public final class SwitchBench {
    private static final Duration WAIT = Duration.ofSeconds(180);
    private static final HostShape SHAPE = new HostShape(MilliCpu.ofCpus(4), Bytes.ofGibibytes(12));
    private static final String ENDPOINT = """
            apiVersion: tidepool.io/v1
            kind: Endpoint
            metadata: {name: bench}
            spec:
              cell: local
              compute: {minCu: %2$s, maxCu: %2$s}
              postgres: {version: "15", settings: {%1$s}}
            %3$s""";
    private static final Pattern TPS = Pattern.compile("tps = ([0-9.]+) \\(without initial connection time\\)");
    private static final int BEFORE = 10;
    private static final int AFTER = 60;

    private final LocalFleet fleet;
    private final MovableClock clock;
    private final String address;

    private SwitchBench(LocalFleet fleet, MovableClock clock, String address) {
        this.fleet = fleet;
        this.clock = clock;
        this.address = address;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = BenchFleet.options(args);
        String verb = args.length == 0 ? "" : args[0];
        String mode = options.getOrDefault("mode", "prewarm");
        String suspend = verb.equals("resume") ? "  suspendAfter: 1m\n" : "";
        Forwarding forwarding = Forwarding.valueOf(options.getOrDefault("proxy", "steer").toUpperCase(Locale.ROOT));
        try (Fleet running = Fleet.start(!mode.equals("prewarm"), forwarding)) {
            String cu = options.getOrDefault("cu", "1");
            running.fleet.apply(ENDPOINT.formatted("", cu, suspend));
            SwitchBench bench = new SwitchBench(running.fleet, running.clock, running.address);
            bench.awaitServing();
            switch (verb) {
                case "switch" -> bench.plannedRestart(mode, Integer.parseInt(options.getOrDefault("scale", "20")),
                        Integer.parseInt(options.getOrDefault("readers", "4")), cu,
                        Integer.parseInt(options.getOrDefault("warmup-switches", "0")));
                case "overhead" -> bench.overhead(Integer.parseInt(options.getOrDefault("seconds", "20")),
                        Integer.parseInt(options.getOrDefault("rounds", "3")), Integer.parseInt(options.getOrDefault("clients", "4")));
                case "resume" -> bench.resume(Integer.parseInt(options.getOrDefault("trials", "10")));
                default -> throw new IllegalArgumentException("usage: switch --mode prewarm|copy|cold | overhead | resume");
            }
        }
        System.exit(0); // Ratis and RocksDB leave non-daemon threads behind
    }

    private void plannedRestart(String mode, int scale, int readers, String cu, int warmupSwitches) throws Exception {
        pgbench(Duration.ofMinutes(10), "-i", "-q", "-s", Integer.toString(scale));
        try (SwitchLoad load = SwitchLoad.start(address, readers)) {
            Await.until(WAIT, "20 s of load before the restart", () -> load.secondsNow() >= 20);
            for (int warmup = 1; warmup <= warmupSwitches; warmup++) {
                String before = endpoint().status().compute();
                fleet.apply(ENDPOINT.formatted("max_connections: \"" + (100 + warmup) + "\"", cu, ""));
                double switched = onChange(Duration.ofMinutes(5), "warm-up switch " + warmup, () -> switchedFrom(before, load));
                Await.until(WAIT, "20 s of load after warm-up switch " + warmup, () -> load.secondsNow() >= switched + 20);
            }
            String first = endpoint().status().compute();
            double triggered = load.secondsNow();
            fleet.apply(ENDPOINT.formatted("max_connections: \"" + (110 + warmupSwitches) + "\"", cu, ""));
            double[] fencedAt = {-1};
            double switchedAt = onChange(Duration.ofMinutes(5), "the switch to a new primary", () -> {
                if (fencedAt[0] < 0 && primaryFenced(first)) {
                    fencedAt[0] = load.secondsNow();
                    if (mode.equals("cold")) {
                        // Off this thread: the sync before the drop must not delay seeing the switch.
                        Thread drop = new Thread(SwitchBench::dropPageCache, "drop-page-cache");
                        drop.setDaemon(true);
                        drop.start();
                    }
                }
                return switchedFrom(first, load);
            });
            double fence = fencedAt[0] < 0 ? switchedAt : fencedAt[0];
            Await.until(Duration.ofSeconds(AFTER + 30), AFTER + " s of load after the switch",
                    () -> load.secondsNow() >= switchedAt + AFTER + 1);
            load.close();
            report(mode, load, triggered, fence, switchedAt);
        }
    }

    /** When a compute other than {@code first} runs as the endpoint's primary: the load's seconds now; null before. */
    private Double switchedFrom(String first, SwitchLoad load) {
        Endpoint.Status status = endpoint().status();
        return status != null && status.compute() != null && !status.compute().equals(first)
                && status.phase() == Endpoint.Phase.Running ? load.secondsNow() : null;
    }

    /**
     * The baseline is the 10 s before the restart was asked for: the steady state. The series also
     * shows the seconds in which the replacement was copied and warmed, on the same machine here.
     */
    private void report(String mode, SwitchLoad load, double triggered, double fence, double switchedAt) throws Exception {
        int triggeredSecond = (int) Math.floor(triggered);
        double baseline = 0;
        for (int s = triggeredSecond - BEFORE; s < triggeredSecond; s++) {
            baseline += load.transactionsIn(s);
        }
        baseline /= BEFORE;
        int switchSecond = (int) Math.floor(switchedAt);
        StringBuilder series = new StringBuilder("series\t" + mode);
        for (int s = -BEFORE; s <= AFTER; s++) {
            series.append('\t').append(String.format("%.2f", load.transactionsIn(switchSecond + s) / baseline));
        }
        System.out.println(series);
        // The first whole second after the switch, and the worst of the ten that follow it.
        double firstSecond = load.transactionsIn(switchSecond + 1) / baseline;
        double worst = Double.MAX_VALUE;
        for (int s = 1; s <= 10; s++) {
            worst = Math.min(worst, load.transactionsIn(switchSecond + s) / baseline);
        }
        // The readers answer again a little before the store says Running: the proxy follows the new
        // primary's port as soon as the host announces it. The second from then does not depend on
        // where in a wall-clock second the switch fell.
        double resumed = load.resumedAfter(fence, switchedAt);
        double fromResume = load.transactionsBetween(resumed, resumed + 1) / baseline;
        long[] pauses = load.probeMillis(fence - 2, switchedAt + 5);
        Set<Long> acknowledged = load.acknowledged();
        Set<Long> present = load.present();
        long lost = acknowledged.stream().filter(id -> !present.contains(id)).count();
        System.out.printf("summary\t%s\t%.0f\t%.2f\t%.2f\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%.0f\t%.2f%n", mode, baseline, firstSecond,
                worst, percentile(pauses, 0.5), percentile(pauses, 0.99), pauses.length == 0 ? 0 : pauses[pauses.length - 1],
                load.failedConnects(), load.writeFailures(), acknowledged.size(), lost, (switchedAt - fence) * 1000, fromResume);
    }

    private void overhead(int seconds, int rounds, int clients) throws Exception {
        pgbench(Duration.ofMinutes(5), "-i", "-q", "-s", "10");
        String direct = computeAddress(endpoint().status().compute());
        for (int round = 0; round < rounds; round++) {
            double straight = selectOnly(direct, seconds, clients);
            double proxied = selectOnly(address, seconds, clients);
            boolean steered = fleet.plane().proxy().orElseThrow().steered().contains("bench");
            System.out.printf("overhead\t%d\t%.0f\t%.0f\t%s%n", round, straight, proxied, steered ? "steered" : "relayed");
        }
    }

    private void resume(int trials) throws Exception {
        for (int trial = 0; trial < trials; trial++) {
            clock.advance(Duration.ofMinutes(2));
            fleet.plane().controlLoop().resync();
            Await.until(WAIT, "bench suspended after idling", () -> endpoint().status().phase() == Endpoint.Phase.Suspended);
            long started = System.nanoTime();
            SwitchLoad.awaitFirstAnswer(address, WAIT);
            System.out.printf("resume\t%d\t%d%n", trial, (System.nanoTime() - started) / 1_000_000);
            awaitServing();
        }
    }

    private void awaitServing() {
        Await.until(WAIT, "bench Running at the proxy's address", () -> {
            Endpoint.Status status = endpoint().status();
            return status != null && status.phase() == Endpoint.Phase.Running && address.equals(status.address());
        });
    }

    /**
     * {@code check}'s first value that is not null, checked again on each change to the store:
     * reading the store every few milliseconds would take from the cores the switch is measured on.
     */
    private double onChange(Duration timeout, String what, Supplier<Double> check) throws InterruptedException {
        Store store = fleet.plane().store();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Watch changes = store.watch(ResourceKeys.ROOT, store.currentRevision() + 1)) {
            for (Double value = check.get(); ; value = check.get()) {
                if (value != null) {
                    return value;
                }
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("no " + what + " within " + timeout);
                }
                changes.poll(Duration.ofMillis(100));
            }
        }
    }

    private Endpoint endpoint() {
        return registry().get(Endpoint.class, Kind.ENDPOINT, "bench").orElseThrow();
    }

    private boolean primaryFenced(String compute) {
        return registry().get(Compute.class, Kind.COMPUTE, compute)
                .map(c -> c.spec().role() != Compute.Role.primary).orElse(true);
    }

    private String computeAddress(String compute) {
        return registry().get(Compute.class, Kind.COMPUTE, compute).orElseThrow().status().address();
    }

    private ResourceRegistry registry() {
        return new ResourceRegistry(fleet.plane().store());
    }

    /** What a restarted compute would have in its page cache: nothing. Needs root. */
    private static void dropPageCache() {
        try {
            new ProcessBuilder("sync").start().waitFor();
            Files.writeString(Path.of("/proc/sys/vm/drop_caches"), "3");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot drop the page cache (the cold mode needs root)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private double selectOnly(String target, int seconds, int clients) throws Exception {
        String out = pgbenchAt(target, Duration.ofSeconds(seconds + 60), "-S", "-n", "-c", Integer.toString(clients), "-j", "2",
                "-T", Integer.toString(seconds));
        Matcher tps = TPS.matcher(out);
        if (!tps.find()) {
            throw new IllegalStateException("pgbench said: " + out);
        }
        return Double.parseDouble(tps.group(1));
    }

    private void pgbench(Duration timeout, String... options) throws Exception {
        pgbenchAt(address, timeout, options);
    }

    private static String pgbenchAt(String target, Duration timeout, String... options) throws Exception {
        URI uri = URI.create(target);
        Path binary = PostgresBinaries.find("15").orElseThrow(() -> new IOException("Postgres 15 is not installed"))
                .bin().resolve("pgbench");
        List<String> command = new ArrayList<>(List.of(binary.toString(), "-h", uri.getHost(),
                "-p", Integer.toString(uri.getPort()), "-U", uri.getUserInfo()));
        command.addAll(List.of(options));
        command.add(uri.getPath().substring(1));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException("pgbench " + String.join(" ", options) + " failed: " + new String(output));
        }
        return new String(output);
    }

    private static long percentile(long[] sorted, double quantile) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1)];
    }

    /** The fleet a benchmark runs on, and what it leaves behind removed on close. */
    private record Fleet(LocalFleet fleet, MovableClock clock, String address, CgroupLayout layout, String cgroupParent)
            implements AutoCloseable {

        static Fleet start(boolean coldReplacements, Forwarding forwarding) throws Exception {
            Path work = Files.createTempDirectory("tidepool-switch-bench-");
            Path computes = Files.createTempDirectory(Path.of("/var/tmp"), "tidepool-switch-bench-");
            Files.setPosixFilePermissions(computes, PosixFilePermissions.fromString("rwxr-xr-x"));
            CgroupLayout layout = CgroupLayout.detect();
            String cgroupParent = "tidepool-bench-" + UUID.randomUUID().toString().substring(0, 8);
            int firstPort = LoopbackPort.free();
            ProxySettings proxy = ProxySettings.of("127.0.0.1", new PortRange(firstPort, firstPort)).withForwarding(forwarding);
            MovableClock clock = new MovableClock();
            UnaryOperator<io.tidepool.server.ControlPlane.Config> variant =
                    config -> config.withProxy(Optional.of(proxy)).withClock(clock);
            LocalFleet fleet = LocalFleet.start(work.resolve("store"), ControlLoop.Settings.DEFAULT, variant,
                    new LocalHosts.Settings("local", 1, SHAPE, LocalFleet.step(), LocalHosts.Settings.LEASE),
                    host -> driver(computes, new CgroupTree(layout, cgroupParent + "/" + host), coldReplacements));
            return new Fleet(fleet, clock, proxy.address(firstPort), layout, cgroupParent);
        }

        private static ProcessDriver driver(Path computes, CgroupTree cgroups, boolean coldReplacements) {
            try {
                ProcessDriver.Settings settings = new ProcessDriver.Settings(computes, "tidepool", Optional.of(cgroups), WAIT);
                return new ProcessDriver(coldReplacements ? settings.withoutPrewarm() : settings);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void close() {
            fleet.close();
            try {
                Await.until(Duration.ofSeconds(10), "the bench's cgroups removed", () -> {
                    try {
                        return new CgroupTree(layout, cgroupParent + "/" + LocalHosts.hostName("local", 1)).removeParent()
                                && new CgroupTree(layout, cgroupParent).removeParent();
                    } catch (IOException e) {
                        return false;
                    }
                });
            } catch (AssertionError e) {
                System.err.println("warning: " + e.getMessage() + "; left under " + cgroupParent);
            }
        }
    }
}
