package io.tidepool.store.ratis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class KeyIndexTest {

    /** One step against the index: put the key with these revisions, or remove it. */
    record Step(String key, boolean remove, long revision) {
    }

    @Property(tries = 200)
    void agreesWithAHashMapAfterAnySequenceOfPutsAndRemoves(@ForAll("steps") List<Step> steps) {
        KeyIndex index = new KeyIndex();
        Map<String, KeyIndex.Entry> model = new HashMap<>();
        for (Step step : steps) {
            byte[] key = step.key().getBytes(StandardCharsets.UTF_8);
            if (step.remove()) {
                index.remove(key);
                model.remove(step.key());
            } else {
                KeyIndex.Entry entry = new KeyIndex.Entry(step.revision(), step.revision() + 1, step.revision() + 2);
                index.put(key, entry.createRevision(), entry.modRevision(), entry.version());
                model.put(step.key(), entry);
            }
            assertThat(index.size()).isEqualTo(model.size());
        }
        for (Step step : steps) {
            assertThat(index.get(step.key().getBytes(StandardCharsets.UTF_8))).isEqualTo(model.get(step.key()));
        }
        Map<String, KeyIndex.Entry> visited = new HashMap<>();
        index.forEach((key, create, mod, version) ->
                visited.put(new String(key, StandardCharsets.UTF_8), new KeyIndex.Entry(create, mod, version)));
        assertThat(visited).isEqualTo(model);
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        // Few distinct keys, so that puts overwrite, removes hit, and probe runs collide and shift.
        Arbitrary<String> keys = Arbitraries.strings().withCharRange('a', 'e').ofMinLength(1).ofMaxLength(3);
        return net.jqwik.api.Combinators.combine(keys, Arbitraries.of(true, false), Arbitraries.longs().between(1, 1000))
                .as(Step::new).list().ofMaxSize(400);
    }
}
