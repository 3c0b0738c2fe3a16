package io.tidepool.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidepool.agent.HostAgent;
import io.tidepool.api.quantity.Bytes;
import io.tidepool.api.quantity.Cu;
import io.tidepool.api.quantity.MilliCpu;
import io.tidepool.api.resource.Cell;
import io.tidepool.api.resource.Compute;
import io.tidepool.api.resource.Condition;
import io.tidepool.api.resource.Endpoint;
import io.tidepool.api.resource.Host;
import io.tidepool.api.resource.HostShape;
import io.tidepool.api.resource.Kind;
import io.tidepool.api.resource.ObjectMeta;
import io.tidepool.buffer.BufferInput;
import io.tidepool.buffer.BufferReconciler;
import io.tidepool.buffer.HostProviders;
import io.tidepool.buffer.Outage;
import io.tidepool.buffer.SimulatedProvider;
import io.tidepool.control.ControlLoop;
import io.tidepool.reconcile.ManualClock;
import io.tidepool.registry.ResourceRegistry;
import io.tidepool.sim.workload.Workloads;
import io.tidepool.store.Op;
import io.tidepool.store.Txn;
import io.tidepool.store.memory.InMemoryStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

/**
 * One cell whose hosts all come from a simulated provider with latency and an outage, seeded by
 * jqwik (a failure prints the seed; rerun with it to replay). Endpoints arrive and the cell grows
 * hosts to keep its spare at the target; during the outage it lives on its buffer (every endpoint
 * that arrives is still placed) and says so in its conditions; after the outage the spare is back
 * at the target within a bounded time; once the load is gone, empty hosts beyond the buffer go
 * back after the cool-down. After every step the fleet invariants hold, maxHosts is never passed,
 * and no host is leaked: the provider holds exactly the hosts the store has.
 */
class BufferSimulationTest {
    private static final Instant START = Instant.parse("2026-01-05T00:00:00Z");
    /** 8 CU; below the 0.75 watermark an empty host brings 6 CU of spare. */
    private static final HostShape SHAPE = new HostShape(new MilliCpu(8_000), Bytes.ofGibibytes(32));
    private static final Cu SPARE_PER_HOST = Cu.ofWhole(6);
    private static final int MAX_HOSTS = 12;
    private static final BufferReconciler.Settings BUFFER = new BufferReconciler.Settings(Duration.ofMinutes(5),
            BufferInput.DEFAULT_REQUEST_BACKOFF, Duration.ofSeconds(10), Duration.ofMinutes(10));
    private static final SimFleet.Settings SETTINGS = SimFleet.Settings.DEFAULT.withControl(ControlLoop.Settings.DEFAULT.withBuffer(BUFFER));

    @Property(tries = 8)
    void theBufferCarriesTheCellThroughAProviderOutageAndIsRestoredAfterIt(
            @ForAll @LongRange(min = 1, max = 1_000_000) long seed) throws Exception {
        Random random = new Random(seed);
        Cu target = Cu.ofWhole(4 + random.nextInt(13));
        Duration latency = Duration.ofSeconds(20 + random.nextInt(160));
        Instant outageFrom = START.plus(Duration.ofMinutes(40 + random.nextInt(11)));
        Outage outage = new Outage(outageFrom, outageFrom.plus(Duration.ofMinutes(10 + random.nextInt(31))));
        SimulatedProvider provider = new SimulatedProvider(new SimulatedProvider.Settings(latency, List.of(outage), 0, seed));
        try (Run run = new Run(seed, random, target, provider)) {
            run.loadUntil(START.plus(Duration.ofMinutes(25)));
            run.stepUntil(outage.from());
            run.expectBufferAtTarget("before the outage");

            Set<String> hostsBefore = run.hosts();
            run.loadDuringOutage(outage);
            assertThat(hostsBefore).as("no host joins during the outage, seed %d", seed).containsAll(run.hosts());
            assertThat(run.spare()).as("the buffer was used, seed %d", seed).isLessThan(target);
            run.expectCondition("ProviderReady", Condition.Status.False, "ProviderFailing");
            run.expectCondition("BufferReady", Condition.Status.False, "ProviderFailing");
            assertThat(run.invariants.notRunning()).as("every endpoint runs, seed %d", seed).isEmpty();

            // The next request waits out at most one full backoff, then the provider's latency, then the host joins.
            Duration bound = BUFFER.requestBackoff().max().plus(latency).plus(SETTINGS.tick().multipliedBy(4));
            run.stepUntilBufferReady(outage.until().plus(bound));
            run.expectBufferAtTarget("after the outage");
            run.expectCondition("ProviderReady", Condition.Status.True, "ProviderResponding");

            run.removeAllEndpoints();
            run.stepUntil(run.now().plus(BUFFER.coolDown()).plus(Duration.ofMinutes(2)));
            long needed = (target.quarters() + SPARE_PER_HOST.quarters() - 1) / SPARE_PER_HOST.quarters();
            assertThat(run.hosts()).as("empty hosts beyond the buffer given back, seed %d", seed).hasSize((int) needed);
            run.expectBufferAtTarget("after giving hosts back");
            run.expectNoHostLeaked();
        }
    }

    /** The fleet of one seeded run, with the checks made after every step. */
    private static final class Run implements AutoCloseable {
        final long seed;
        final Random random;
        final Cu target;
        final SimulatedProvider provider;
        final InMemoryStore store = new InMemoryStore();
        final ManualClock clock = new ManualClock(START);
        final ResourceRegistry registry = new ResourceRegistry(store);
        final FleetInvariants invariants = new FleetInvariants(registry);
        final SimFleet fleet;
        int endpoints;

        Run(long seed, Random random, Cu target, SimulatedProvider provider) {
            this.seed = seed;
            this.random = random;
            this.target = target;
            this.provider = provider;
            Cell cell = new Cell(ObjectMeta.named("c1"), new Cell.Spec(SHAPE, new Cell.Buffer(target), 0.75, 1.0,
                    new Cell.Provider(Cell.ProviderType.SIMULATED), MAX_HOSTS), null);
            store.txn(Txn.of(List.of(), List.of(ResourceRegistry.putOp(cell))));
            fleet = new SimFleet(store, clock, Workloads.mix(seed, START)::of, SETTINGS, HostProviders.simulated(provider));
            // Right after the agents' round, when each runs exactly what the store assigns it: after
            // the controllers, a fence written a moment ago has not reached its agent yet.
            fleet.afterAgentRound(() -> assertThat(invariants.atMostOnePrimary(fleet.agents(), Set.of()))
                    .as("primaries at %s, seed %d", clock.instant(), seed).isEmpty());
            fleet.lead();
        }

        Instant now() {
            return clock.instant();
        }

        /** Endpoints of 0.25 to 1 CU arrive now and then, after the first hosts had time to join. */
        void loadUntil(Instant end) throws InterruptedException {
            stepUntil(START.plus(Duration.ofMinutes(5)));
            while (now().isBefore(end)) {
                if (random.nextInt(6) == 0) {
                    addEndpoint(Cu.ofQuarters(1 + random.nextInt(4)));
                }
                step();
            }
        }

        /**
         * Endpoints arrive during the first half of the outage: on its first step enough to take the
         * spare below the target, later more now and then, using at most the spare less 1 CU, so all
         * fit; each must be placed on the step it arrives.
         */
        void loadDuringOutage(Outage outage) throws InterruptedException {
            Instant half = outage.from().plus(Duration.between(outage.from(), outage.until()).dividedBy(2));
            Cu budget = spare().minus(Cu.ofWhole(1));
            Cu mustUse = spare().minus(target).plus(Cu.QUARTER);
            Cu used = Cu.ZERO;
            boolean first = true;
            while (now().isBefore(outage.until().minus(SETTINGS.tick()))) {
                while (now().isBefore(half) && used.compareTo(budget) < 0
                        && (first && used.compareTo(mustUse) < 0 || random.nextInt(4) == 0)) {
                    Cu size = Cu.ofQuarters(1 + random.nextInt(4)).min(budget.minus(used));
                    addEndpoint(size);
                    used = used.plus(size);
                }
                first = false;
                step();
                assertThat(invariants.unplacedEndpoints()).as("placed from the buffer during the outage at %s, seed %d",
                        now(), seed).isEmpty();
            }
        }

        void stepUntil(Instant end) throws InterruptedException {
            while (now().isBefore(end)) {
                step();
            }
        }

        void stepUntilBufferReady(Instant deadline) throws InterruptedException {
            while (!bufferReady()) {
                assertThat(now()).as("buffer restored by %s, seed %d", deadline, seed).isBefore(deadline);
                step();
            }
        }

        void step() throws InterruptedException {
            fleet.step();
            assertThat(invariants.noHostOvercommitted()).as("overcommit at %s, seed %d", now(), seed).isEmpty();
            assertThat(invariants.computesWithinBounds()).as("bounds at %s, seed %d", now(), seed).isEmpty();
            assertThat(invariants.cellsOverMaxHosts()).as("maxHosts at %s, seed %d", now(), seed).isEmpty();
            assertThat(hosts().size() + provider.requestsInFlight()).as("hosts and requests within maxHosts, seed %d", seed)
                    .isLessThanOrEqualTo(MAX_HOSTS);
            // A release the provider could not take yet (an outage) is retried: only that way round may they differ.
            assertThat(provider.hosts()).as("every host in the cell is one the provider holds, seed %d", seed)
                    .containsAll(hosts());
        }

        /** Once things are quiet: the provider holds exactly the cell's hosts, and each runs an agent. */
        void expectNoHostLeaked() {
            assertThat(new TreeSet<>(provider.hosts())).as("the provider holds exactly the cell's hosts, seed %d", seed)
                    .isEqualTo(hosts());
            Set<String> agents = fleet.agents().stream().map(HostAgent::name).collect(Collectors.toCollection(TreeSet::new));
            assertThat(agents).as("an agent on every host and on no host given back, seed %d", seed).isEqualTo(hosts());
        }

        void expectBufferAtTarget(String when) {
            assertThat(spare()).as("spare %s, seed %d", when, seed).isGreaterThanOrEqualTo(target);
            expectCondition("BufferReady", Condition.Status.True, "SpareAtTarget");
        }

        void expectCondition(String type, Condition.Status status, String reason) {
            Condition condition = cell().status().conditions().stream().filter(c -> c.type().equals(type)).findFirst()
                    .orElseThrow(() -> new AssertionError("no " + type + " condition, seed " + seed));
            assertThat(condition.status()).as("%s at %s: %s, seed %d", type, now(), condition, seed).isEqualTo(status);
            assertThat(condition.reason()).as("%s reason, seed %d", type, seed).isEqualTo(reason);
        }

        boolean bufferReady() {
            Cell.Status status = cell().status();
            return status != null && status.spareCu().compareTo(target) >= 0 && status.conditions().stream()
                    .anyMatch(c -> c.type().equals("BufferReady") && c.status() == Condition.Status.True);
        }

        Cu spare() {
            return cell().status().spareCu();
        }

        Cell cell() {
            return registry.get(Cell.class, Kind.CELL, "c1").orElseThrow();
        }

        Set<String> hosts() {
            return registry.listAll(Kind.HOST).stream().map(h -> ((Host) h).name()).collect(Collectors.toCollection(TreeSet::new));
        }

        void addEndpoint(Cu size) {
            Endpoint endpoint = new Endpoint(ObjectMeta.named("db-" + endpoints++),
                    new Endpoint.Spec("c1", new Endpoint.ComputeRange(size, size), null, null, null), null);
            store.txn(Txn.of(List.of(), List.of(ResourceRegistry.putOp(endpoint))));
        }

        /** The load is gone: every endpoint and its compute deleted together. */
        void removeAllEndpoints() {
            List<Op> deletes = new ArrayList<>();
            registry.listAll(Kind.ENDPOINT).forEach(e -> deletes.add(ResourceRegistry.deleteOp(Kind.ENDPOINT, e.name())));
            registry.listAll(Kind.COMPUTE).forEach(c -> deletes.add(ResourceRegistry.deleteOp(Kind.COMPUTE, ((Compute) c).name())));
            store.txn(Txn.of(List.of(), deletes));
        }

        @Override
        public void close() {
            fleet.close();
        }
    }
}
