package io.tidepool.store.model;

import io.tidepool.store.CompactedException;
import io.tidepool.store.Compare;
import io.tidepool.store.Op;
import io.tidepool.store.Store;
import io.tidepool.store.StoreException;
import io.tidepool.store.Txn;
import io.tidepool.store.Watch;
import io.tidepool.store.WatchCollector;
import io.tidepool.store.WatchEvent;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Runs a random operation sequence against a store and against {@link StoreModel}, comparing every
 * result. The keys of one run live under their own prefix, so one store can serve many runs.
 */
final class ModelRun {
    private final Store store;
    private final String prefix;
    private final StoreModel model;
    private final long base;

    ModelRun(Store store, String prefix) {
        this.store = store;
        this.prefix = prefix;
        this.base = store.currentRevision();
        this.model = new StoreModel(base, store.firstWatchableRevision());
    }

    static Arbitrary<List<ModelOp>> sequences(int maxLength) {
        return operation().list().ofMinSize(1).ofMaxSize(maxLength);
    }

    void run(List<ModelOp> ops) throws InterruptedException {
        for (ModelOp op : ops) {
            step(op);
        }
        assertThat(store.range(prefix)).as("final state").isEqualTo(model.range(prefix, null, 0));
    }

    private void step(ModelOp op) throws InterruptedException {
        if (op instanceof ModelOp.Put put) {
            Op.Put write = new Op.Put(key(put.key()), new byte[] {put.value()});
            assertThat(store.put(write.key(), write.value())).as(op.toString())
                    .isEqualTo(model.txn(Txn.of(List.of(), List.of(write))).revision());
        } else if (op instanceof ModelOp.Delete delete) {
            String key = key(delete.key());
            boolean existed = model.get(key) != null;
            model.txn(Txn.of(List.of(), List.of(new Op.Delete(key))));
            assertThat(store.delete(key)).as(op.toString()).isEqualTo(existed);
        } else if (op instanceof ModelOp.Txn txn) {
            Txn resolved = resolve(txn);
            assertThat(store.txn(resolved)).as(resolved.toString()).isEqualTo(model.txn(resolved));
        } else if (op instanceof ModelOp.Get get) {
            assertThat(store.get(key(get.key()))).as(op.toString())
                    .isEqualTo(java.util.Optional.ofNullable(model.get(key(get.key()))));
        } else if (op instanceof ModelOp.Range range) {
            String rangePrefix = prefix + ModelOp.PREFIXES.get(range.prefix());
            String startAfter = range.startAfter() < 0 ? null : key(range.startAfter());
            assertThat(store.range(rangePrefix, startAfter, range.limit())).as(op.toString())
                    .isEqualTo(model.range(rangePrefix, startAfter, range.limit()));
        } else if (op instanceof ModelOp.Compact compact) {
            compact(model.revision() - compact.back() + (compact.back() == 0 ? 1 : 0));
        } else if (op instanceof ModelOp.Watch watch) {
            watch(prefix + ModelOp.PREFIXES.get(watch.prefix()), Math.max(1, model.revision() + 1 - watch.back()));
        }
        assertThat(store.currentRevision()).as("revision after " + op).isEqualTo(model.revision());
    }

    /** Back 0 tries one revision past the current one, which the store must refuse. */
    private void compact(long at) {
        if (at <= base && at < model.firstWatchable()) {
            return;
        }
        if (model.compact(at)) {
            store.compact(at);
        } else {
            assertThatThrownBy(() -> store.compact(at)).isInstanceOf(StoreException.class);
        }
        assertThat(store.firstWatchableRevision()).isEqualTo(model.firstWatchable());
    }

    private void watch(String watchPrefix, long from) throws InterruptedException {
        if (from < model.firstWatchable()) {
            assertThatThrownBy(() -> store.watch(watchPrefix, from)).isInstanceOf(CompactedException.class);
            return;
        }
        List<WatchEvent> expected = model.eventsFrom(watchPrefix, from);
        try (Watch watch = store.watch(watchPrefix, from)) {
            assertThat(new WatchCollector(watch).awaitEvents(expected.size(), Duration.ofSeconds(20)))
                    .as("watch of '" + watchPrefix + "' from " + from).isEqualTo(expected);
        }
    }

    private Txn resolve(ModelOp.Txn txn) {
        List<Compare> compares = new ArrayList<>();
        for (ModelOp.CompareSpec spec : txn.compares()) {
            Compare.Target target = Compare.Target.values()[spec.target()];
            long value = target == Compare.Target.VERSION ? spec.value() % 4
                    : spec.value() == 0 ? 0 : base + spec.value();
            compares.add(new Compare(key(spec.key()), target, Compare.Operator.values()[spec.operator()], value));
        }
        return Txn.when(compares, writes(txn.success()), writes(txn.failure()));
    }

    private List<Op> writes(List<ModelOp.WriteSpec> specs) {
        Set<Integer> used = new HashSet<>();
        List<Op> ops = new ArrayList<>();
        for (ModelOp.WriteSpec spec : specs) {
            if (used.add(spec.key())) {
                ops.add(spec.put() ? new Op.Put(key(spec.key()), new byte[] {spec.value()}) : new Op.Delete(key(spec.key())));
            }
        }
        return ops;
    }

    private String key(int index) {
        return prefix + ModelOp.KEYS.get(index);
    }

    private static Arbitrary<ModelOp> operation() {
        Arbitrary<Integer> key = Arbitraries.integers().between(0, ModelOp.KEYS.size() - 1);
        Arbitrary<Byte> value = Arbitraries.bytes();
        Arbitrary<ModelOp.WriteSpec> write = Combinators.combine(key, Arbitraries.of(true, true, false), value)
                .as(ModelOp.WriteSpec::new);
        Arbitrary<ModelOp.CompareSpec> compare = Combinators.combine(key, Arbitraries.integers().between(0, 2),
                Arbitraries.integers().between(0, 3), Arbitraries.integers().between(0, 12)).as(ModelOp.CompareSpec::new);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(5, Combinators.combine(key, value).as(ModelOp.Put::new)),
                net.jqwik.api.Tuple.of(2, key.map(ModelOp.Delete::new)),
                net.jqwik.api.Tuple.of(4, Combinators.combine(compare.list().ofMaxSize(3), write.list().ofMaxSize(4),
                        write.list().ofMaxSize(3)).as(ModelOp.Txn::new)),
                net.jqwik.api.Tuple.of(2, key.map(ModelOp.Get::new)),
                net.jqwik.api.Tuple.of(2, Combinators.combine(Arbitraries.integers().between(0, ModelOp.PREFIXES.size() - 1),
                        Arbitraries.integers().between(-1, ModelOp.KEYS.size() - 1), Arbitraries.integers().between(0, 4))
                        .as(ModelOp.Range::new)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0, 4).map(ModelOp.Compact::new)),
                net.jqwik.api.Tuple.of(1, Combinators.combine(Arbitraries.integers().between(0, ModelOp.PREFIXES.size() - 1),
                        Arbitraries.integers().between(0, 8)).as(ModelOp.Watch::new)));
    }
}
