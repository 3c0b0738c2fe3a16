package io.tidepool.store.model;

import io.tidepool.store.memory.InMemoryStore;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.List;

class InMemoryStoreModelTest {

    @Property(tries = 500)
    void behavesLikeTheModel(@ForAll("sequences") List<ModelOp> ops) throws Exception {
        try (InMemoryStore store = new InMemoryStore()) {
            new ModelRun(store, "model/").run(ops);
        }
    }

    @Provide
    Arbitrary<List<ModelOp>> sequences() {
        return ModelRun.sequences(60);
    }
}
