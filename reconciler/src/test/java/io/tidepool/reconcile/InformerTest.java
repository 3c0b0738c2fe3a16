package io.tidepool.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidepool.api.quantity.Bytes;
import io.tidepool.api.quantity.MilliCpu;
import io.tidepool.api.resource.Host;
import io.tidepool.api.resource.HostShape;
import io.tidepool.api.resource.Kind;
import io.tidepool.api.resource.ObjectMeta;
import io.tidepool.registry.ResourceKeys;
import io.tidepool.registry.ResourceRegistry;
import io.tidepool.store.memory.InMemoryStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class InformerTest {
    private static final int WATCH_BUFFER = 4;
    private final InMemoryStore store = new InMemoryStore(WATCH_BUFFER);
    private final ResourceRegistry registry = new ResourceRegistry(store);
    private final Informer<Host> hosts = new Informer<>(registry, Kind.HOST, Host.class);
    private final List<String> changes = new ArrayList<>();

    InformerTest() {
        hosts.addHandler((before, after) -> changes.add((before == null ? "+" : after == null ? "-" : "~")
                + (after == null ? before.name() : after.name())));
        hosts.addIndex("cell", h -> Set.of(h.spec().cell()));
    }

    @Test
    void listsFirstThenFollowsEveryChange() throws Exception {
        put(host("h1", "a"));
        hosts.start();
        put(host("h2", "a"));
        put(host("h1", "b"));
        store.delete(ResourceKeys.key(Kind.HOST, "h2"));

        while (hosts.pump(Duration.ZERO) > 0) {
            // drain what the watch has
        }

        assertThat(changes).containsExactly("+h1", "+h2", "~h1", "-h2");
        assertThat(hosts.get("h1").orElseThrow().spec().cell()).isEqualTo("b");
        assertThat(hosts.get("h1").orElseThrow().metadata().resourceVersion()).isEqualTo(3);
        assertThat(hosts.revision()).isEqualTo(store.currentRevision());
    }

    @Test
    void keepsIndexesCurrent() throws Exception {
        hosts.start();
        put(host("h1", "a"));
        put(host("h2", "a"));
        put(host("h1", "b"));
        hosts.pump(Duration.ZERO);

        assertThat(hosts.byIndex("cell", "a")).extracting(Host::name).containsExactly("h2");
        assertThat(hosts.byIndex("cell", "b")).extracting(Host::name).containsExactly("h1");
        assertThat(hosts.byIndex("cell", "c")).isEmpty();
    }

    @Test
    void listsAgainWhenItFellTooFarBehindAndReportsWhatChangedMeanwhile() throws Exception {
        put(host("h1", "a"));
        put(host("h2", "a"));
        hosts.start();
        changes.clear();
        put(host("h3", "a"));
        store.delete(ResourceKeys.key(Kind.HOST, "h1"));
        for (int i = 0; i <= WATCH_BUFFER; i++) {
            put(host("h2", "b" + i));
        }
        put(host("h2", "b"));
        store.compact(store.currentRevision());

        hosts.pump(Duration.ZERO);

        assertThat(hosts.relists()).isEqualTo(1);
        assertThat(changes).containsExactlyInAnyOrder("-h1", "~h2", "+h3");
        assertThat(hosts.list()).extracting(Host::name).containsExactlyInAnyOrder("h2", "h3");
        put(host("h4", "a"));
        hosts.pump(Duration.ZERO);
        assertThat(hosts.get("h4")).isPresent();
    }

    @Test
    void appliesALargeBatchInTheStoresOrderThoughItDecodesItOnSeveralThreads() throws Exception {
        InMemoryStore roomy = new InMemoryStore();
        Informer<Host> many = new Informer<>(new ResourceRegistry(roomy), Kind.HOST, Host.class);
        List<String> seen = new ArrayList<>();
        many.addHandler((before, after) -> seen.add((before == null ? "+" : after == null ? "-" : "~")
                + (after == null ? before.name() : after.name() + "@" + after.spec().cell())));
        many.start();
        List<String> expected = new ArrayList<>();
        List<io.tidepool.store.Op> creates = new ArrayList<>();
        List<io.tidepool.store.Op> moves = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            creates.add(ResourceRegistry.putOp(host("h" + i, "a")));
            moves.add(ResourceRegistry.putOp(host("h" + i, "b")));
        }
        roomy.txn(io.tidepool.store.Txn.of(List.of(), creates));
        roomy.txn(io.tidepool.store.Txn.of(List.of(), moves));
        for (int i = 0; i < 600; i++) {
            expected.add("+h" + i + "@a");
        }
        for (int i = 0; i < 600; i++) {
            expected.add("~h" + i + "@b");
        }
        for (int i = 0; i < 300; i++) {
            roomy.delete(ResourceKeys.key(Kind.HOST, "h" + i));
            expected.add("-h" + i);
        }

        while (many.pump(Duration.ZERO) > 0) {
            // drain what the watch has
        }

        assertThat(seen).containsExactlyElementsOf(expected);
        assertThat(many.list()).hasSize(300).allSatisfy(h -> assertThat(h.spec().cell()).isEqualTo("b"));
    }

    private void put(Host host) {
        store.txn(io.tidepool.store.Txn.of(List.of(), List.of(ResourceRegistry.putOp(host))));
    }

    static Host host(String name, String cell) {
        return new Host(ObjectMeta.named(name),
                new Host.Spec(cell, new HostShape(MilliCpu.ofCpus(16), Bytes.ofGibibytes(64)), false), null);
    }
}
