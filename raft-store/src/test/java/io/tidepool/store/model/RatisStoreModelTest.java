package io.tidepool.store.model;

import io.tidepool.store.LoopbackPort;
import io.tidepool.store.ratis.RatisStore;
import io.tidepool.store.ratis.RatisStoreConfig;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/** The model check against one real single-node store, reused across tries with a fresh prefix each. */
class RatisStoreModelTest {
    private static final AtomicInteger TRIES = new AtomicInteger();
    private static Path dir;
    private static RatisStore store;

    @BeforeContainer
    static void startStore() throws IOException {
        dir = Files.createTempDirectory("model-store");
        store = RatisStore.start(RatisStoreConfig.singleNode("m1", dir.resolve("m1"), "127.0.0.1:" + LoopbackPort.free()));
    }

    @AfterContainer
    static void stopStore() throws IOException {
        if (store != null) {
            store.close();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    @Property(tries = 30)
    void behavesLikeTheModel(@ForAll("sequences") List<ModelOp> ops) throws Exception {
        new ModelRun(store, "model/" + TRIES.incrementAndGet() + "/").run(ops);
    }

    @Provide
    Arbitrary<List<ModelOp>> sequences() {
        return ModelRun.sequences(40);
    }
}
