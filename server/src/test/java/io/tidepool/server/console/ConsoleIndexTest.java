package io.tidepool.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidepool.api.codec.ManifestCodec;
import io.tidepool.api.resource.Endpoint;
import io.tidepool.api.resource.Kind;
import io.tidepool.manifests.source.ManifestFile;
import io.tidepool.registry.ResourceRegistry;
import io.tidepool.server.apply.ManifestApplier;
import io.tidepool.store.Await;
import io.tidepool.store.memory.InMemoryStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class ConsoleIndexTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String CELL = """
            apiVersion: tidepool.io/v1
            kind: Cell
            metadata: {name: local}
            spec: {hostTemplate: {cpus: 16, memory: 64Gi}}
            """;
    private static final String ENDPOINT = """
            apiVersion: tidepool.io/v1
            kind: Endpoint
            metadata: {name: %s}
            spec: {cell: local, compute: {minCu: 0.25, maxCu: %s}}
            """;

    private final InMemoryStore store = new InMemoryStore();
    private final ResourceRegistry registry = new ResourceRegistry(store);
    private final ManifestApplier applier = new ManifestApplier(registry, new ManifestCodec(), Clock.systemUTC());
    private ConsoleIndex index;

    @AfterEach
    void stop() {
        if (index != null) {
            index.close();
        }
        store.close();
    }

    @Test
    void holdsWhatWasStoredBeforeItStartedAndFollowsChangesAfter() {
        apply(CELL, ENDPOINT.formatted("shop", "1"));
        index = new ConsoleIndex(registry).start();
        Await.until(WAIT, "the first list", () -> index.synced() && index.endpoints().containsKey("shop"));

        apply(ENDPOINT.formatted("blog", "2"));
        store.delete("/tidepool/v1/endpoints/shop");

        Await.until(WAIT, "blog in, shop out", () -> index.endpoints().keySet().equals(java.util.Set.of("blog")));
        assertThat(index.endpoints().get("blog").maxCu().toString()).isEqualTo("2");
        assertThat(index.cells()).extracting(c -> c.name()).containsExactly("local");
    }

    @Test
    void tellsWhichEndpointAndHostAChangeIsAbout() {
        apply(CELL, ENDPOINT.formatted("shop", "1"));
        index = new ConsoleIndex(registry).start();
        Await.until(WAIT, "the first list", () -> index.synced());
        List<ConsoleIndex.Change> heard = new CopyOnWriteArrayList<>();
        index.addListener(heard::addAll);

        Endpoint shop = registry.get(Endpoint.class, Kind.ENDPOINT, "shop").orElseThrow();
        store.put("/tidepool/v1/endpoints/shop", ResourceRegistry.putOp(shop.withStatus(new Endpoint.Status(
                Endpoint.Phase.Running, "h1", null, null, null, null, null, null, null))).value());

        Await.until(WAIT, "the status write", () -> heard.stream().anyMatch(c -> c.kind() == Kind.ENDPOINT));
        assertThat(heard).filteredOn(c -> c.kind() == Kind.ENDPOINT)
                .containsExactly(new ConsoleIndex.Change(Kind.ENDPOINT, "shop", "shop", "h1", false));
        assertThat(index.endpoints().get("shop").phase()).isEqualTo(Endpoint.Phase.Running);
        assertThat(index.endpoints().get("shop").host()).isEqualTo("h1");
    }

    private void apply(String... documents) {
        List<ManifestFile> files = new java.util.ArrayList<>();
        for (int i = 0; i < documents.length; i++) {
            files.add(new ManifestFile("file" + i + ".yaml", documents[i]));
        }
        assertThat(applier.apply(files, false).errors()).isEmpty();
    }
}
