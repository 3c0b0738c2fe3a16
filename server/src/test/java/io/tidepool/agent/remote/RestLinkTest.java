package io.tidepool.agent.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidepool.agent.ControlPlaneLink;
import io.tidepool.api.agent.ComputeMetrics;
import io.tidepool.api.agent.UpscaleRequest;
import io.tidepool.api.quantity.Bytes;
import io.tidepool.api.quantity.Cu;
import io.tidepool.api.quantity.MilliCpu;
import io.tidepool.api.resource.Compute;
import io.tidepool.api.resource.Host;
import io.tidepool.api.resource.HostShape;
import io.tidepool.api.resource.Kind;
import io.tidepool.api.resource.ObjectMeta;
import io.tidepool.api.codec.ManifestCodec;
import io.tidepool.registry.ResourceRegistry;
import io.tidepool.registry.ResourceTxn;
import io.tidepool.server.LocalFleet;
import io.tidepool.server.api.ApiServer;
import io.tidepool.server.apply.ManifestApplier;
import io.tidepool.server.auth.TokenOwner;
import io.tidepool.server.auth.TokenRegistry;
import io.tidepool.server.metrics.ServerMetrics;
import io.tidepool.sim.workload.Idle;
import io.tidepool.store.Await;
import io.tidepool.store.LoopbackPort;
import io.tidepool.store.memory.InMemoryStore;
import io.tidepool.telemetry.Telemetry;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link RestLink} against a real control plane (Ratis, RocksDB, HTTP), with a host's own token.
 * One control plane serves every test; each test uses hosts of its own.
 */
@Timeout(120)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RestLinkTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final HostShape SHAPE = new HostShape(MilliCpu.ofCpus(8), Bytes.ofGibibytes(32));

    @TempDir
    static Path tmp;
    private LocalFleet fleet;
    private ResourceRegistry registry;

    @BeforeAll
    void start() throws Exception {
        fleet = LocalFleet.start(tmp, 0, endpoint -> Idle.TYPICAL);
        registry = new ResourceRegistry(fleet.plane().store());
        // Heartbeats and upscale requests need the leader's controllers, which start a moment after the store.
        Await.until(Duration.ofSeconds(30), "the leader's controllers", () -> fleet.plane().leaderTelemetry() != null);
    }

    @AfterAll
    void stop() {
        fleet.close();
    }

    @Test
    void registersItsHostAndLeavesTheSpecOfOneThatExists() {
        try (RestLink link = connect("reg-1")) {
            link.register(host("reg-1", SHAPE));
            link.register(host("reg-1", new HostShape(MilliCpu.ofCpus(2), Bytes.ofGibibytes(4))));

            Host stored = registry.get(Host.class, Kind.HOST, "reg-1").orElseThrow();
            assertThat(stored.spec().cell()).isEqualTo("local");
            assertThat(stored.spec().capacity()).isEqualTo(SHAPE);
            assertThat(stored.metadata().creationTimestamp()).isNotNull();
        }
    }

    @Test
    void followsTheComputesAssignedToItsHostAndHearsOfEachChange() {
        try (RestLink link = connect("follow-1")) {
            AtomicInteger changes = new AtomicInteger();
            link.onAssignedChange(changes::incrementAndGet);
            create(compute("follow-a", "follow-1"));
            create(compute("follow-b", "follow-2"));

            Await.until(WAIT, "follow-a assigned", () -> names(link.assigned("follow-1")).equals(List.of("follow-a")));
            int before = changes.get();
            create(compute("follow-c", "follow-1"));

            Await.until(WAIT, "follow-c assigned", () -> names(link.assigned("follow-1")).contains("follow-c"));
            assertThat(changes.get()).isGreaterThan(before);
            assertThat(names(link.assigned("follow-1"))).containsExactlyInAnyOrder("follow-a", "follow-c");
        }
    }

    @Test
    void forgetsAComputeMovedToAnotherHostOrDeleted() {
        create(compute("move-a", "move-1"));
        create(compute("move-b", "move-1"));
        try (RestLink link = connect("move-1")) {
            Await.until(WAIT, "both assigned", () -> link.assigned("move-1").size() == 2);

            Compute a = registry.get(Compute.class, Kind.COMPUTE, "move-a").orElseThrow();
            write(new ResourceTxn().update(a, new Compute(a.metadata(), new Compute.Spec(a.spec().endpoint(), "move-2",
                    a.spec().cu(), a.spec().role(), a.spec().epoch(), null), null)));
            Await.until(WAIT, "move-a gone from move-1", () -> names(link.assigned("move-1")).equals(List.of("move-b")));

            write(new ResourceTxn().delete(registry.get(Compute.class, Kind.COMPUTE, "move-b").orElseThrow()));
            Await.until(WAIT, "move-b gone", () -> link.assigned("move-1").isEmpty());
        }
    }

    @Test
    void reportsStatusWithoutTouchingTheSpecAndSaysWhenTheComputeIsGone() {
        create(compute("report-a", "report-1"));
        try (RestLink link = connect("report-1")) {
            Compute.Status running = new Compute.Status(Compute.Phase.Running, Cu.QUARTER, "postgresql://10.0.0.1:5432/postgres",
                    true, List.of());

            assertThat(link.report("report-a", running)).isTrue();
            assertThat(link.report("report-a", running)).as("the same status again").isTrue();
            assertThat(link.report("report-gone", running)).isFalse();

            Compute stored = registry.get(Compute.class, Kind.COMPUTE, "report-a").orElseThrow();
            assertThat(stored.status()).isEqualTo(running);
            assertThat(stored.spec()).isEqualTo(compute("report-a", "report-1").spec());
        }
    }

    @Test
    void heartbeatsReachTheLeadersTelemetryWithTheMetricsOfItsOwnComputesOnly() {
        create(compute("beat-a", "beat-1"));
        create(compute("beat-b", "beat-2"));
        Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        ComputeMetrics sample = new ComputeMetrics(at, 0.7, 1L << 29, 1L << 27);
        try (RestLink link = connect("beat-1")) {
            Await.until(WAIT, "beat-a assigned", () -> link.assigned("beat-1").size() == 1);
            Await.until(WAIT, "the leader's cache has both computes",
                    () -> fleet.plane().controlLoop().cache().computes.get("beat-b").isPresent());

            link.heartbeat("beat-1", at, Map.of("beat-a", sample, "beat-b", sample));

            Telemetry telemetry = fleet.plane().leaderTelemetry();
            assertThat(telemetry.lastHeartbeat("beat-1")).contains(at);
            assertThat(telemetry.latest("beat-a")).contains(sample);
            assertThat(telemetry.latest("beat-b")).as("another host's compute").isEmpty();
        }
    }

    @Test
    void upscaleRequestsReachTheLeadersAutoscalerAtOnce() {
        create(compute("ask-a", "ask-1"));
        List<String> heard = new CopyOnWriteArrayList<>();
        Telemetry telemetry = fleet.plane().leaderTelemetry();
        // In place of this term's autoscaler, which no other test here needs; RemoteHostAgentTest sees it grant one.
        telemetry.onUpscaleRequest((compute, request) -> heard.add(compute + " " + request.neededBytes()));
        try (RestLink link = connect("ask-1")) {
            Await.until(WAIT, "the leader's cache has ask-a",
                    () -> fleet.plane().controlLoop().cache().computes.get("ask-a").isPresent());

            link.requestUpscale("ask-a", new UpscaleRequest(Instant.now(), 2L << 30, "900 MiB in use of 1 GiB"));

            assertThat(heard).containsExactly("ask-a " + (2L << 30));
        }
    }

    @Test
    void saysTheControlPlaneIsUnreachableWhenNoServerAnswers() {
        URI nowhere = URI.create("http://127.0.0.1:" + LoopbackPort.free());
        try (RestLink link = RestLink.connect(List.of(nowhere), "tp_any", "lost-1")) {
            assertThatThrownBy(() -> link.register(host("lost-1", SHAPE)))
                    .isInstanceOf(ControlPlaneLink.UnreachableException.class)
                    .hasMessageContaining("no control-plane node answered").hasMessageContaining(nowhere.toString());
            assertThatThrownBy(() -> link.assigned("lost-1")).isInstanceOf(ControlPlaneLink.UnreachableException.class);
            assertThatThrownBy(() -> link.heartbeat("lost-1", Instant.now(), Map.of()))
                    .isInstanceOf(ControlPlaneLink.UnreachableException.class);
            assertThatThrownBy(() -> link.report("lost-a", new Compute.Status(Compute.Phase.Running, Cu.QUARTER, null, false, null)))
                    .isInstanceOf(ControlPlaneLink.UnreachableException.class);
        }
    }

    @Test
    void triesTheNextServerWhenOneCannotBeReached() {
        URI nowhere = URI.create("http://127.0.0.1:" + LoopbackPort.free());
        try (RestLink link = RestLink.connect(List.of(nowhere, URI.create(fleet.url())), token("next-1"), "next-1")) {
            link.register(host("next-1", SHAPE));
            Await.until(WAIT, "listed", () -> link.assigned("next-1").isEmpty());
            link.heartbeat("next-1", Instant.now(), Map.of());

            assertThat(registry.get(Kind.HOST, "next-1")).isPresent();
        }
    }

    @Test
    void listsAgainWhenTheHistoryItWouldResumeFromWasCompacted() throws Exception {
        InMemoryStore store = new InMemoryStore();
        ResourceRegistry memory = new ResourceRegistry(store);
        TokenRegistry tokens = new TokenRegistry(store, Clock.systemUTC());
        String token = tokens.issue(TokenOwner.host("gone-1"));
        int port = LoopbackPort.free();
        store.txn(new ResourceTxn().create(compute("gone-a", "gone-1")).toTxn());
        ApiServer first = startApi(store, tokens, port);
        try (RestLink link = RestLink.connect(List.of(URI.create("http://127.0.0.1:" + port)), token, "gone-1")) {
            Await.until(WAIT, "gone-a assigned", () -> names(link.assigned("gone-1")).equals(List.of("gone-a")));
            first.close();
            store.txn(new ResourceTxn().delete(memory.get(Compute.class, Kind.COMPUTE, "gone-a").orElseThrow())
                    .create(compute("gone-b", "gone-1")).toTxn());
            store.txn(new ResourceTxn().create(compute("gone-c", "gone-2")).toTxn());
            // Past the revision the link would resume from (the one after its list): it must list again.
            store.compact(store.currentRevision());

            try (ApiServer second = startApi(store, tokens, port)) {
                Await.until(WAIT, "gone-b in place of gone-a", () -> names(link.assigned("gone-1")).equals(List.of("gone-b")));
            }
        } finally {
            store.close();
        }
    }

    private static ApiServer startApi(InMemoryStore store, TokenRegistry tokens, int port) {
        return ApiServer.start(new ApiServer.Settings("n1", "127.0.0.1", port, store,
                new ManifestApplier(new ResourceRegistry(store), new ManifestCodec(), Clock.systemUTC()), tokens,
                new ServerMetrics(store), () -> null));
    }

    @Test
    void refusesToSpeakForAnotherHostThanItsOwn() {
        try (RestLink link = connect("own-1")) {
            assertThatThrownBy(() -> link.assigned("own-2")).isInstanceOf(IllegalArgumentException.class);
        }
    }

    private RestLink connect(String host) {
        return RestLink.connect(List.of(URI.create(fleet.url())), token(host), host);
    }

    private String token(String host) {
        HttpResponse<String> created = fleet.post("/api/v1/tokens", "{\"host\": \"" + host + "\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return fleet.tree(created.body()).get("token").asText();
    }

    private static Host host(String name, HostShape shape) {
        return new Host(ObjectMeta.named(name), new Host.Spec("local", shape, false), null);
    }

    static Compute compute(String name, String host) {
        return new Compute(ObjectMeta.named(name), new Compute.Spec("shop", host, Cu.QUARTER, Compute.Role.primary, 1, null), null);
    }

    private void create(Compute compute) {
        write(new ResourceTxn().create(compute));
    }

    private void write(ResourceTxn txn) {
        assertThat(registry.store().txn(txn.toTxn()).succeeded()).isTrue();
    }

    private static List<String> names(List<Compute> computes) {
        return computes.stream().map(Compute::name).sorted().toList();
    }
}
