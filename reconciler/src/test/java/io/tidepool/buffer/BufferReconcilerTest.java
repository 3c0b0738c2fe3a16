package io.tidepool.buffer;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidepool.api.quantity.Bytes;
import io.tidepool.api.quantity.Cu;
import io.tidepool.api.quantity.MilliCpu;
import io.tidepool.api.resource.Cell;
import io.tidepool.api.resource.Compute;
import io.tidepool.api.resource.Condition;
import io.tidepool.api.resource.Host;
import io.tidepool.api.resource.HostShape;
import io.tidepool.api.resource.Kind;
import io.tidepool.api.resource.ObjectMeta;
import io.tidepool.api.resource.Resource;
import io.tidepool.control.FleetCache;
import io.tidepool.reconcile.ManualClock;
import io.tidepool.reconcile.Result;
import io.tidepool.registry.ResourceRegistry;
import io.tidepool.store.Op;
import io.tidepool.store.Txn;
import io.tidepool.store.memory.InMemoryStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The buffer reconciler over an in-memory store and a fleet cache, driven by hand on a manual
 * clock: each test writes the fleet, calls {@code reconcile} as the controller would, and reads
 * back what it wrote and what it asked of the provider.
 */
class BufferReconcilerTest {
    static final Instant T0 = Instant.parse("2026-02-02T00:00:00Z");
    /** 8 CU; below the cell's 0.75 watermark an empty host brings 6 CU of spare. */
    static final HostShape SHAPE = new HostShape(new MilliCpu(8_000), Bytes.ofGibibytes(32));
    static final Duration LATENCY = Duration.ofMinutes(1);
    static final BufferReconciler.Settings SETTINGS = new BufferReconciler.Settings(Duration.ofMinutes(5),
            BufferInput.DEFAULT_REQUEST_BACKOFF, Duration.ofSeconds(10), Duration.ofMinutes(10));

    final InMemoryStore store = new InMemoryStore();
    final ResourceRegistry registry = new ResourceRegistry(store);
    final ManualClock clock = new ManualClock(T0);
    final FleetCache cache = new FleetCache(registry);
    boolean cacheStarted;
    CountingProvider provider = new CountingProvider(SimulatedProvider.Settings.reliable(LATENCY));
    BufferReconciler buffer = new BufferReconciler(cache, store, HostProviders.simulated(provider), clock, SETTINGS);

    @AfterEach
    void closeCache() {
        cache.close();
    }

    @Test
    void asksForEnoughHostsOnceAndWritesThemIntoTheCellWhenMade() throws Exception {
        write(cell(Cell.ProviderType.SIMULATED, 12, 10));

        Result first = reconcile();
        Result again = reconcile();

        assertThat(provider.requests).isEqualTo(2);
        assertThat(first.requeueAfter()).as("polls while requests are in flight").isEqualTo(SETTINGS.pollInterval());
        assertThat(again.requeueAfter()).isEqualTo(SETTINGS.pollInterval());
        assertThat(condition("BufferReady").reason()).isEqualTo("BufferDepleted");

        clock.advance(LATENCY);
        reconcile();
        reconcile();

        List<Host> hosts = hosts();
        assertThat(hosts).extracting(Host::name).containsExactly("c1-sim-1", "c1-sim-2");
        Host made = hosts.get(0);
        assertThat(made.spec().cell()).isEqualTo("c1");
        assertThat(made.spec().capacity()).isEqualTo(SHAPE);
        assertThat(made.metadata().creationTimestamp()).isEqualTo(clock.instant());
        assertThat(made.metadata().labels()).containsEntry(BufferReconciler.PROVIDER_LABEL, "simulated");
        assertThat(made.metadata().annotations()).containsEntry(BufferReconciler.REQUEST_ANNOTATION, "sim-request-1");
        assertThat(provider.requests).as("joining hosts count as on their way").isEqualTo(2);
        assertThat(cellStatus().hosts()).isEqualTo(2);
        assertThat(cellStatus().spareCu()).isEqualTo(Cu.ZERO);
    }

    @Test
    void reportsTheBufferReadyOnceTheNewHostsAreReady() throws Exception {
        write(cell(Cell.ProviderType.SIMULATED, 12, 10), host("c1-sim-1", true, true), host("c1-sim-2", true, true));

        Result result = reconcile();

        assertThat(provider.requests).isZero();
        assertThat(result.requeues()).isFalse();
        Cell.Status status = cellStatus();
        assertThat(status.hosts()).isEqualTo(2);
        assertThat(status.capacityCu()).isEqualTo(Cu.ofWhole(16));
        assertThat(status.allocatedCu()).isEqualTo(Cu.ZERO);
        assertThat(status.spareCu()).isEqualTo(Cu.ofWhole(12));
        assertThat(condition("BufferReady").status()).isEqualTo(Condition.Status.True);
        assertThat(condition("ProviderReady").status()).isEqualTo(Condition.Status.True);
    }

    @Test
    void writesTheStatusOnlyWhenItChanged() throws Exception {
        write(cell(Cell.ProviderType.SIMULATED, 12, 10), host("c1-sim-1", true, true), host("c1-sim-2", true, true));
        reconcile();
        long version = cellInStore().metadata().resourceVersion();

        reconcile();
        reconcile();

        assertThat(cellInStore().metadata().resourceVersion()).isEqualTo(version);
    }

    @Test
    void reportsTheProviderFailingAndBacksOffDuringAnOutage() throws Exception {
        provider = new CountingProvider(new SimulatedProvider.Settings(LATENCY,
                List.of(new Outage(T0, T0.plus(Duration.ofHours(1)))), 0, 1));
        buffer = new BufferReconciler(cache, store, HostProviders.simulated(provider), clock, SETTINGS);
        write(cell(Cell.ProviderType.SIMULATED, 12, 10), host("c1-sim-1", true, true), host("c1-sim-2", true, true),
                compute("db-1", "c1-sim-1", Cu.ofWhole(2)));
        write(withLedger(host("c1-sim-1", true, true), Cu.ofWhole(2)));

        Result refused = reconcile();
        reconcile();

        assertThat(provider.requests).as("asks once, then waits out its backoff").isEqualTo(1);
        assertThat(refused.requeueAfter()).isEqualTo(BufferInput.DEFAULT_REQUEST_BACKOFF.after(1));
        assertThat(condition("ProviderReady").status()).isEqualTo(Condition.Status.False);
        assertThat(condition("ProviderReady").reason()).isEqualTo("ProviderFailing");
        assertThat(condition("BufferReady").status()).isEqualTo(Condition.Status.False);
        assertThat(condition("BufferReady").reason()).isEqualTo("ProviderFailing");
        assertThat(cellStatus().spareCu()).isEqualTo(Cu.ofWhole(10));

        clock.advance(BufferInput.DEFAULT_REQUEST_BACKOFF.after(1));
        reconcile();

        assertThat(provider.requests).isEqualTo(2);
    }

    @Test
    void givesBackEmptyHostsBeyondTheBufferOnlyAfterTheCoolDown() throws Exception {
        write(cell(Cell.ProviderType.SIMULATED, 6, 10), host("c1-sim-1", true, true), host("c1-sim-2", true, true),
                host("c1-sim-3", true, true), host("static-1", false, true));

        Result cooling = reconcile();
        assertThat(hosts()).hasSize(4);
        assertThat(cooling.requeueAfter()).isEqualTo(SETTINGS.coolDown());

        clock.advance(SETTINGS.coolDown());
        reconcile();
        reconcile();

        // 24 CU spare; the target is 6: every provider-made host may go, the static one never.
        assertThat(hosts()).extracting(Host::name).containsExactly("static-1");
        assertThat(provider.released).containsExactly("c1-sim-1", "c1-sim-2", "c1-sim-3");
        assertThat(cellStatus().hosts()).isEqualTo(1);
        assertThat(cellStatus().spareCu()).isEqualTo(Cu.ofWhole(6));
    }

    @Test
    void neverGivesBackAHostThatGotAComputeAfterTheCacheShowedItEmpty() throws Exception {
        write(cell(Cell.ProviderType.SIMULATED, 6, 10), host("c1-sim-1", true, true), host("c1-sim-2", true, true));
        reconcile();
        clock.advance(SETTINGS.coolDown());
        // Placement wins the race: the compute and the host's raised ledger are written, the cache has not seen them yet.
        write(compute("db-1", "c1-sim-1", Cu.ofWhole(1)), withLedger(storedHost("c1-sim-1"), Cu.ofWhole(1)));

        Result result = buffer.reconcile("c1");

        assertThat(hosts()).extracting(Host::name).contains("c1-sim-1");
        assertThat(provider.released).doesNotContain("c1-sim-1");
        assertThat(result.requeueAfter()).isLessThan(Duration.ofSeconds(1));
    }

    @Test
    void givesBackAHostAnEarlierLeaderAskedForWhenTheCellIsAtMaxHosts() throws Exception {
        write(cell(Cell.ProviderType.SIMULATED, 6, 2), host("c1-a", true, true), host("c1-b", true, true));
        provider.request("c1", SHAPE, T0);
        clock.advance(LATENCY);

        reconcile();
        reconcile();

        assertThat(hosts()).extracting(Host::name).containsExactly("c1-a", "c1-b");
        assertThat(provider.released).containsExactly("c1-sim-1");
        assertThat(provider.hosts()).isEmpty();
    }

    @Test
    void keepsAHostAnEarlierLeaderAskedForWhenTheCellHasRoom() throws Exception {
        write(cell(Cell.ProviderType.SIMULATED, 6, 10), host("c1-a", true, true));
        provider.request("c1", SHAPE, T0);
        clock.advance(LATENCY);

        reconcile();
        reconcile();

        assertThat(hosts()).extracting(Host::name).containsExactly("c1-a", "c1-sim-1");
        assertThat(provider.released).isEmpty();
    }

    @Test
    void aStaticCellGetsOnlyItsStatusRolledUp() throws Exception {
        write(cell(Cell.ProviderType.STATIC, 12, 10), host("h1", false, true),
                compute("db-1", "h1", Cu.ofWhole(2)));
        write(withLedger(host("h1", false, true), Cu.ofWhole(2)));

        Result result = reconcile();

        assertThat(provider.requests).isZero();
        assertThat(provider.polls).isZero();
        assertThat(result.requeues()).isFalse();
        Cell.Status status = cellStatus();
        assertThat(status.hosts()).isEqualTo(1);
        assertThat(status.capacityCu()).isEqualTo(Cu.ofWhole(8));
        assertThat(status.allocatedCu()).isEqualTo(Cu.ofWhole(2));
        assertThat(status.spareCu()).isEqualTo(Cu.ofWhole(4));
        assertThat(status.conditions()).extracting(Condition::type).containsExactly("BufferReady");
        assertThat(condition("BufferReady").status()).isEqualTo(Condition.Status.False);
    }

    @Test
    void forgetsACellThatIsGone() throws Exception {
        cache.start();
        assertThat(buffer.reconcile("nowhere").requeues()).isFalse();
        assertThat(buffer.lastDecision("nowhere")).isEmpty();
    }

    // --- the fleet, written straight into the store

    private Result reconcile() throws Exception {
        if (!cacheStarted) {
            cache.start();
            cacheStarted = true;
        }
        cache.pumpAvailable();
        return buffer.reconcile("c1");
    }

    private void write(Resource... resources) {
        List<Op> ops = new ArrayList<>();
        for (Resource resource : resources) {
            ops.add(ResourceRegistry.putOp(resource));
        }
        assertThat(store.txn(Txn.of(List.of(), ops)).succeeded()).isTrue();
    }

    private static Cell cell(Cell.ProviderType provider, int spareCu, int maxHosts) {
        return new Cell(ObjectMeta.named("c1"), new Cell.Spec(SHAPE, new Cell.Buffer(Cu.ofWhole(spareCu)), 0.75, 1.0,
                new Cell.Provider(provider), maxHosts), null);
    }

    private static Host host(String name, boolean madeByProvider, boolean ready) {
        ObjectMeta meta = ObjectMeta.named(name).withCreationTimestamp(T0)
                .withLabels(madeByProvider ? Map.of(BufferReconciler.PROVIDER_LABEL, "simulated") : Map.of());
        return new Host(meta, new Host.Spec("c1", SHAPE, false),
                new Host.Status(ready, Cu.ZERO, Cu.ofWhole(8), ready ? T0 : null, List.of()));
    }

    private static Host withLedger(Host host, Cu allocated) {
        Host.Status s = host.status();
        return host.withStatus(new Host.Status(s.ready(), allocated, s.capacityCu(), s.lastHeartbeat(), s.conditions()));
    }

    private static Compute compute(String endpoint, String host, Cu cu) {
        return new Compute(ObjectMeta.named(endpoint + "-1"),
                new Compute.Spec(endpoint, host, cu, Compute.Role.primary, 1, null), null);
    }

    private Host storedHost(String name) {
        return registry.get(Host.class, Kind.HOST, name).orElseThrow();
    }

    private List<Host> hosts() {
        return registry.listAll(Kind.HOST).stream().map(Host.class::cast).toList();
    }

    private Cell cellInStore() {
        return registry.get(Cell.class, Kind.CELL, "c1").orElseThrow();
    }

    private Cell.Status cellStatus() {
        return cellInStore().status();
    }

    private Condition condition(String type) {
        return cellStatus().conditions().stream().filter(c -> c.type().equals(type)).findFirst().orElseThrow();
    }

    /** The simulated provider, counting what it was asked. */
    static final class CountingProvider implements HostProvider {
        final SimulatedProvider simulated;
        final List<String> released = new ArrayList<>();
        int requests;
        int polls;

        CountingProvider(SimulatedProvider.Settings settings) {
            this.simulated = new SimulatedProvider(settings);
        }

        @Override
        public ProviderReply request(String cell, HostShape shape, Instant now) {
            requests++;
            return simulated.request(cell, shape, now);
        }

        @Override
        public List<ProvisionOutcome> poll(Instant now) {
            polls++;
            return simulated.poll(now);
        }

        @Override
        public boolean release(String host, Instant now) {
            boolean done = simulated.release(host, now);
            if (done) {
                released.add(host);
            }
            return done;
        }

        Set<String> hosts() {
            return simulated.hosts();
        }
    }
}
