package io.tidepool.store.ratis;

import io.tidepool.store.Compare;
import io.tidepool.store.KeyValue;
import io.tidepool.store.Op;
import io.tidepool.store.Txn;
import io.tidepool.store.TxnResult;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterTry;
import net.jqwik.api.lifecycle.BeforeTry;
import org.apache.ratis.server.protocol.TermIndex;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The apply logic without Raft: replicas fed the same commands end byte-identical. */
class CommandApplierTest {
    private Path dir;

    @BeforeTry
    void createDir() throws IOException {
        dir = Files.createTempDirectory("applier");
    }

    @AfterTry
    void deleteDir() throws IOException {
        CheckpointStorage.deleteRecursively(dir);
    }

    @Property(tries = 25)
    void replicasFedTheSameCommandsEndByteIdentical(@ForAll("commands") List<Command> commands) throws IOException {
        try (RocksState one = RocksState.open(dir.resolve("one")); RocksState two = RocksState.open(dir.resolve("two"))) {
            List<byte[]> repliesOne = applyAll(one, commands, 0);
            List<byte[]> repliesTwo = applyAll(two, commands, 0);
            assertThat(repliesTwo).containsExactlyElementsOf(repliesOne);
            assertThat(dump(two)).isEqualTo(dump(one));
        }
    }

    @Property(tries = 15)
    void aCheckpointRestoredAndFedTheRestEqualsApplyingEverything(@ForAll("commands") List<Command> commands,
                                                                  @ForAll("splits") double split) throws IOException {
        int cut = (int) (commands.size() * split);
        Path smDir = dir.resolve("sm");
        Files.createDirectories(smDir);
        CheckpointStorage storage = new CheckpointStorage();
        storage.init(smDir);
        try (RocksState whole = RocksState.open(dir.resolve("whole"))) {
            applyAll(whole, commands, 0);
            try (RocksState first = RocksState.open(smDir.resolve("db"))) {
                applyAll(first, commands.subList(0, cut), 0);
                storage.create(first, TermIndex.valueOf(1, cut));
            }
            storage.rescan();
            Path restoredDir = dir.resolve("restored");
            storage.restoreLatestInto(restoredDir);
            try (RocksState restored = RocksState.open(restoredDir)) {
                assertThat(restored.applied().getIndex()).isEqualTo(cut == 0 ? -1 : cut);
                applyAll(restored, commands.subList(cut, commands.size()), cut);
                assertThat(dump(restored)).isEqualTo(dump(whole));
            }
        }
    }

    /**
     * Group commit changes nothing a client or a watch can see: transactions applied as one batch
     * entry leave the same keys, history and revisions, and give the same results, as the same
     * transactions applied one entry each (only the applied log index differs).
     */
    @Property(tries = 25)
    void aBatchAppliesExactlyAsItsTransactionsOneEntryEach(@ForAll("commands") List<Command> commands)
            throws IOException {
        List<Txn> txns = commands.stream().filter(Command.Write.class::isInstance)
                .map(command -> ((Command.Write) command).txn()).toList();
        if (txns.isEmpty()) {
            return;
        }
        try (RocksState single = RocksState.open(dir.resolve("single"));
             RocksState batched = RocksState.open(dir.resolve("batched"))) {
            List<TxnResult> singleResults = applyAll(single, txns.stream().map(Command.Write::new)
                    .map(Command.class::cast).toList(), 0).stream().map(ReplyCodec::decodeTxn).toList();
            List<TxnResult> batchResults = ReplyCodec.decodeBatch(apply(batched, new Command.Batch(txns),
                    txns.size()));
            assertThat(batchResults).isEqualTo(singleResults);
            assertThat(dump(batched)).isEqualTo(dump(single));
        }
    }

    @Property(tries = 1)
    void aFailedCompareAndAMissingDeleteLeaveTheRevision() throws IOException {
        try (RocksState state = RocksState.open(dir.resolve("state"))) {
            apply(state, new Command.Write(Txn.of(List.of(), List.of(new Op.Put("a", new byte[] {1})))), 1);
            byte[] reply = apply(state, new Command.Write(Txn.of(List.of(Compare.absent("a")),
                    List.of(new Op.Put("b", new byte[] {2})))), 2);
            assertThat(ReplyCodec.decodeTxn(reply)).isEqualTo(new TxnResult(false, 1));
            reply = apply(state, new Command.Write(Txn.of(List.of(), List.of(new Op.Delete("missing")))), 3);
            assertThat(ReplyCodec.decodeTxn(reply)).isEqualTo(new TxnResult(true, 1));
            assertThat(state.revisions()).isEqualTo(new Revisions(1, 1));
            assertThat(state.applied()).isEqualTo(TermIndex.valueOf(1, 3));
            assertThat(state.get("a")).contains(new KeyValue("a", new byte[] {1}, 1, 1, 1));
        }
    }

    private static List<byte[]> applyAll(RocksState state, List<Command> commands, int firstIndex) {
        List<byte[]> replies = new ArrayList<>();
        for (int i = 0; i < commands.size(); i++) {
            replies.add(apply(state, commands.get(i), firstIndex + i + 1));
        }
        return replies;
    }

    private static byte[] apply(RocksState state, Command command, long index) {
        // Through the codec, as a follower would read the entry from its log.
        Command decoded = CommandCodec.decodeCommand(CommandCodec.encode(command));
        return state.whileOpen(() -> CommandApplier.apply(state, decoded, 1, index)).reply();
    }

    private static byte[] dump(RocksState state) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        state.forEachEntry((key, value) -> {
            out.writeBytes(key);
            out.write(0);
            out.writeBytes(value);
            out.write(0);
        });
        return out.toByteArray();
    }

    @Provide
    Arbitrary<Double> splits() {
        return Arbitraries.doubles().between(0, 1);
    }

    @Provide
    Arbitrary<List<Command>> commands() {
        Arbitrary<String> key = Arbitraries.of("a", "a/b", "b", "c", "\uD83D\uDE00");
        Arbitrary<Op> op = Combinators.combine(key, Arbitraries.bytes().array(byte[].class).ofMaxSize(8),
                Arbitraries.of(true, true, false)).as((k, v, put) -> put ? new Op.Put(k, v) : new Op.Delete(k));
        Arbitrary<Compare> compare = Combinators.combine(key, Arbitraries.of(Compare.Target.class),
                Arbitraries.of(Compare.Operator.class), Arbitraries.longs().between(0, 6)).as(Compare::new);
        Arbitrary<Command> write = Combinators.combine(compare.list().ofMaxSize(2), op.list().ofMaxSize(3)
                        .uniqueElements(Op::key), op.list().ofMaxSize(2).uniqueElements(Op::key))
                .as((compares, success, failure) -> new Command.Write(Txn.when(compares, success, failure)));
        Arbitrary<Command> compact = Arbitraries.longs().between(0, 12).map(Command.Compact::new);
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(8, write), net.jqwik.api.Tuple.of(1, compact))
                .list().ofMaxSize(40);
    }
}
