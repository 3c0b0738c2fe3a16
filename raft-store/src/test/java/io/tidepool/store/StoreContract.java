package io.tidepool.store;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The behaviour every {@link Store} must have, run against each implementation by a subclass that
 * says how to open one. One store serves all tests of a class: each test writes under its own key
 * prefix and asserts revisions relative to what it read, so the suite also works on a store that
 * other tests already used.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class StoreContract {
    /** The store under test must be configured to cancel a watch with more events than this waiting. */
    protected static final int WATCH_BUFFERED_EVENTS = 2_000;
    protected static final Duration WAIT = Duration.ofSeconds(20);

    private Store store;
    private String p;

    /** Opens the store for this class's tests, configured with {@link #WATCH_BUFFERED_EVENTS}. */
    protected abstract Store openStore() throws Exception;

    /** Closes what {@link #openStore} opened. */
    protected void closeStore(Store store) throws Exception {
        store.close();
    }

    @BeforeAll
    void openTheStore() throws Exception {
        store = openStore();
    }

    @AfterAll
    void closeTheStore() throws Exception {
        if (store != null) {
            closeStore(store);
        }
    }

    @BeforeEach
    void useOwnPrefix(TestInfo info) {
        p = "contract/" + info.getTestMethod().orElseThrow().getName() + "/" + System.nanoTime() + "/";
    }

    /**
     * Waits until the store under test serves watches up to {@code revision}. A replica may apply
     * a write after the write returned (a follower); implementations with such replicas override.
     */
    protected void awaitServedLocally(long revision) {
    }

    protected Store store() {
        return store;
    }

    // --- revisions ---

    @Test
    void putAdvancesTheRevisionByOne() {
        long before = store.currentRevision();
        long revision = store.put(p + "a", bytes("1"));
        assertThat(revision).isEqualTo(before + 1);
        assertThat(store.currentRevision()).isEqualTo(before + 1);
    }

    @Test
    void everyWriteOfOneTxnGetsTheSameRevision() {
        long before = store.currentRevision();
        TxnResult result = store.txn(Txn.of(List.of(), List.of(put("a", "1"), put("b", "2"), put("c", "3"))));
        assertThat(result).isEqualTo(new TxnResult(true, before + 1));
        assertThat(store.range(p).items()).extracting(KeyValue::modRevision).containsOnly(before + 1);
        assertThat(store.currentRevision()).isEqualTo(before + 1);
    }

    @Test
    void failedCompareWithoutFailureOpsLeavesTheRevision() {
        long before = store.currentRevision();
        TxnResult result = store.txn(Txn.of(List.of(Compare.exists(p + "missing")), List.of(put("a", "1"))));
        assertThat(result).isEqualTo(new TxnResult(false, before));
        assertThat(store.currentRevision()).isEqualTo(before);
        assertThat(store.get(p + "a")).isEmpty();
    }

    @Test
    void deletingAMissingKeyWritesNothing() {
        long before = store.currentRevision();
        assertThat(store.delete(p + "missing")).isFalse();
        TxnResult result = store.txn(Txn.of(List.of(), List.of(new Op.Delete(p + "missing"))));
        assertThat(result).isEqualTo(new TxnResult(true, before));
        assertThat(store.currentRevision()).isEqualTo(before);
    }

    @Test
    void readsDoNotAdvanceTheRevision() {
        store.put(p + "a", bytes("1"));
        long before = store.currentRevision();
        store.get(p + "a");
        store.range(p);
        store.firstWatchableRevision();
        assertThat(store.currentRevision()).isEqualTo(before);
    }

    // --- key bookkeeping ---

    @Test
    void keysTrackCreateAndModRevisionAndVersion() {
        long created = store.put(p + "k", bytes("1"));
        assertThat(store.get(p + "k")).contains(new KeyValue(p + "k", bytes("1"), created, created, 1));
        long modified = store.put(p + "k", bytes("2"));
        assertThat(store.get(p + "k")).contains(new KeyValue(p + "k", bytes("2"), created, modified, 2));
        assertThat(store.delete(p + "k")).isTrue();
        assertThat(store.get(p + "k")).isEmpty();
        long recreated = store.put(p + "k", bytes("3"));
        assertThat(store.get(p + "k")).contains(new KeyValue(p + "k", bytes("3"), recreated, recreated, 1));
    }

    @Test
    void aMissingKeyHasRevisionsAndVersionZero() {
        String key = p + "missing";
        for (Compare.Target target : Compare.Target.values()) {
            TxnResult zero = store.txn(Txn.of(List.of(new Compare(key, target, Compare.Operator.EQUAL, 0)), List.of()));
            assertThat(zero.succeeded()).as(target.name()).isTrue();
        }
    }

    @Test
    void valuesRoundTripByteForByte() {
        byte[] binary = new byte[256];
        for (int i = 0; i < binary.length; i++) {
            binary[i] = (byte) i;
        }
        store.put(p + "binary", binary);
        store.put(p + "empty", new byte[0]);
        assertThat(store.get(p + "binary").orElseThrow().value()).isEqualTo(binary);
        assertThat(store.get(p + "empty").orElseThrow().value()).isEmpty();
    }

    // --- get and range ---

    @Test
    void rangeListsThePrefixInCodePointOrder() {
        List<String> suffixes = List.of("b", "a", "\uD83D\uDE00", "\uFFFD", "é", "a0", "A", "~");
        suffixes.forEach(suffix -> store.put(p + suffix, bytes(suffix)));
        List<String> expected = suffixes.stream().map(suffix -> p + suffix).sorted(KeyOrder.COMPARATOR).toList();
        assertThat(store.range(p).items()).extracting(KeyValue::key).containsExactlyElementsOf(expected);
        assertThat(expected.indexOf(p + "\uD83D\uDE00")).isGreaterThan(expected.indexOf(p + "\uFFFD"));
    }

    @Test
    void rangeKeepsToItsPrefix() {
        List.of("a", "a/b", "ab", "b", "a/").forEach(suffix -> store.put(p + suffix, bytes(suffix)));
        store.put(p.substring(0, p.length() - 1) + "0", bytes("sibling after the prefix"));
        assertThat(store.range(p + "a").items()).extracting(KeyValue::key)
                .containsExactly(p + "a", p + "a/", p + "a/b", p + "ab");
        assertThat(store.range(p + "a/").items()).extracting(KeyValue::key).containsExactly(p + "a/", p + "a/b");
        assertThat(store.range(p + "c").items()).isEmpty();
        assertThat(store.range(p).items()).hasSize(5);
    }

    @Test
    void rangePagesWithStartAfterAndLimit() {
        List<String> keys = IntStream.range(0, 9).mapToObj(i -> p + "k" + i).toList();
        keys.forEach(key -> store.put(key, bytes(key)));
        List<String> seen = new ArrayList<>();
        String after = null;
        List<Boolean> mores = new ArrayList<>();
        do {
            RangeResult page = store.range(p, after, 3);
            assertThat(page.items()).hasSizeLessThanOrEqualTo(3);
            page.items().forEach(kv -> seen.add(kv.key()));
            mores.add(page.more());
            after = page.items().isEmpty() ? null : page.items().get(page.items().size() - 1).key();
        } while (mores.get(mores.size() - 1));
        assertThat(seen).containsExactlyElementsOf(keys);
        assertThat(mores).containsExactly(true, true, false);
        assertThat(store.range(p, p + "k4", 0).items()).extracting(KeyValue::key)
                .containsExactlyElementsOf(keys.subList(5, 9));
        assertThat(store.range(p + "k", p, 2).items()).extracting(KeyValue::key).containsExactly(p + "k0", p + "k1");
        assertThat(store.range(p, p + "k8", 5)).isEqualTo(new RangeResult(List.of(), store.currentRevision(), false));
    }

    @Test
    void rangeReportsTheRevisionItWasReadAt() {
        long revision = store.put(p + "a", bytes("1"));
        RangeResult result = store.range(p);
        assertThat(result.revision()).isGreaterThanOrEqualTo(revision).isEqualTo(store.currentRevision());
    }

    // --- transactions ---

    @Test
    void everyCompareTargetAndOperatorTakesTheRightBranch() {
        String key = p + "subject";
        store.put(key, bytes("v1"));
        store.put(p + "other", bytes("x"));
        store.put(key, bytes("v2"));
        KeyValue subject = store.get(key).orElseThrow();
        int runs = 0;
        for (Compare.Target target : Compare.Target.values()) {
            long actual = switch (target) {
                case CREATE_REVISION -> subject.createRevision();
                case MOD_REVISION -> subject.modRevision();
                case VERSION -> subject.version();
            };
            for (Compare.Operator operator : Compare.Operator.values()) {
                for (long value : new long[] {actual - 1, actual, actual + 1}) {
                    Compare compare = new Compare(key, target, operator, value);
                    boolean expected = compare.holdsFor(subject);
                    String marker = p + "branch/" + runs++;
                    TxnResult result = store.txn(Txn.when(List.of(compare),
                            List.of(new Op.Put(marker, bytes("success"))), List.of(new Op.Put(marker, bytes("failure")))));
                    assertThat(result.succeeded()).as(compare.toString()).isEqualTo(expected);
                    assertThat(new String(store.get(marker).orElseThrow().value(), StandardCharsets.UTF_8))
                            .as(compare.toString()).isEqualTo(expected ? "success" : "failure");
                }
            }
        }
        assertThat(store.get(key)).contains(subject);
    }

    @Test
    void everyCompareMustHold() {
        long revision = store.put(p + "a", bytes("1"));
        TxnResult result = store.txn(Txn.when(
                List.of(Compare.modRevisionIs(p + "a", revision), Compare.exists(p + "missing")),
                List.of(put("s", "1")), List.of(put("f", "1"), new Op.Delete(p + "a"))));
        assertThat(result).isEqualTo(new TxnResult(false, revision + 1));
        assertThat(store.get(p + "s")).isEmpty();
        assertThat(store.get(p + "f")).isPresent();
        assertThat(store.get(p + "a")).isEmpty();
    }

    @Test
    void aTxnMixesPutsAndDeletesAtomically() {
        store.put(p + "old", bytes("1"));
        long before = store.currentRevision();
        TxnResult result = store.txn(Txn.of(List.of(Compare.exists(p + "old")),
                List.of(new Op.Delete(p + "old"), put("new", "2"), new Op.Delete(p + "never"))));
        assertThat(result).isEqualTo(new TxnResult(true, before + 1));
        assertThat(store.range(p).items()).extracting(KeyValue::key).containsExactly(p + "new");
    }

    @Test
    void aRefusedTxnWritesNothing() {
        long before = store.currentRevision();
        Txn tooLarge = Txn.of(List.of(), List.of(put("fine", "1"),
                new Op.Put(p + "huge", new byte[Store.MAX_VALUE_BYTES + 1])));
        assertThatThrownBy(() -> store.txn(tooLarge)).isInstanceOf(LimitExceededException.class);
        assertThat(store.get(p + "fine")).isEmpty();
        assertThat(store.currentRevision()).isEqualTo(before);
    }

    @Test
    void aKeyWrittenTwiceInOneBranchIsRefused() {
        assertThatThrownBy(() -> store.txn(Txn.of(List.of(), List.of(put("a", "1"), new Op.Delete(p + "a")))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("twice");
    }

    @Test
    void deleteReportsWhetherTheKeyExisted() {
        store.put(p + "a", bytes("1"));
        assertThat(store.delete(p + "a")).isTrue();
        assertThat(store.delete(p + "a")).isFalse();
    }

    // --- watch ---

    @Test
    void watchReplaysHistoryThenDeliversLiveChangesWithoutGapOrDuplicate() throws Exception {
        long first = store.put(p + "a", bytes("1"));
        store.put(p + "b", bytes("2"));
        store.delete(p + "a");
        WatchCollector collector = new WatchCollector(store.watch(p, first));
        store.put(p + "c", bytes("3"));
        store.txn(Txn.of(List.of(), List.of(put("d", "4"), put("e", "5"))));
        List<WatchEvent> events = collector.awaitEvents(6, WAIT);
        assertThat(events).extracting(event -> event.type() + " " + event.kv().key().substring(p.length()))
                .containsExactly("PUT a", "PUT b", "DELETE a", "PUT c", "PUT d", "PUT e");
        assertThat(events).extracting(WatchEvent::revision)
                .containsExactly(first, first + 1, first + 2, first + 3, first + 4, first + 4);
        assertThat(collector.events()).hasSize(6);
        assertNoMoreEvents(collector);
    }

    @Test
    void deleteEventsCarryTheDeletedKeysCreateRevision() throws Exception {
        long created = store.put(p + "a", bytes("1"));
        store.put(p + "a", bytes("2"));
        Watch watch = store.watch(p, 0);
        store.delete(p + "a");
        WatchEvent event = new WatchCollector(watch).awaitEvents(1, WAIT).get(0);
        assertThat(event.type()).isEqualTo(WatchEvent.Type.DELETE);
        assertThat(event.kv().value()).isNull();
        assertThat(event.kv().createRevision()).isEqualTo(created);
        assertThat(event.revision()).isEqualTo(store.currentRevision());
    }

    @Test
    void watchFiltersByPrefix() throws Exception {
        WatchCollector collector = new WatchCollector(store.watch(p + "in/", 0));
        store.put(p + "out/1", bytes("x"));
        store.put(p + "in/1", bytes("y"));
        store.txn(Txn.of(List.of(), List.of(put("in/2", "z"), put("out/2", "z"), put("in", "z"))));
        assertThat(collector.awaitEvents(2, WAIT)).extracting(event -> event.kv().key())
                .containsExactly(p + "in/1", p + "in/2");
        assertNoMoreEvents(collector);
    }

    @Test
    void watchFromZeroStartsAfterTheCurrentRevision() throws Exception {
        store.put(p + "before", bytes("1"));
        WatchCollector collector = new WatchCollector(store.watch(p, 0));
        long after = store.put(p + "after", bytes("2"));
        assertThat(collector.awaitEvents(1, WAIT)).extracting(WatchEvent::revision).containsExactly(after);
        assertNoMoreEvents(collector);
    }

    @Test
    void watchFromAFutureRevisionWaitsForIt() throws Exception {
        long start = store.currentRevision() + 3;
        WatchCollector collector = new WatchCollector(store.watch(p, start));
        for (int i = 0; i < 5; i++) {
            store.put(p + "k" + i, bytes("v"));
        }
        List<WatchEvent> events = collector.awaitEvents(3, WAIT);
        assertThat(events).extracting(WatchEvent::revision).containsExactly(start, start + 1, start + 2);
    }

    @Test
    void oneRevisionIsNeverSplitAcrossPolls() throws Exception {
        List<Op> ops = IntStream.range(0, 1_500).<Op>mapToObj(i -> new Op.Put(p + "big/" + i, bytes("v"))).toList();
        long historic = store.txn(Txn.of(List.of(), ops)).revision();
        WatchCollector collector = new WatchCollector(store.watch(p, historic));
        // On a node that has not applied the first revision yet it arrives live too: both at once
        // would exceed the watch's bound before the collector's first poll.
        collector.awaitEvents(1_500, WAIT);
        long live = store.txn(Txn.of(List.of(), ops)).revision();
        collector.awaitEvents(3_000, WAIT);
        for (List<WatchEvent> poll : collector.polls()) {
            assertThat(poll.size() % 1_500).as("poll of " + poll.size() + " events").isZero();
        }
        assertThat(collector.events()).extracting(WatchEvent::revision).containsOnly(historic, live);
    }

    @Test
    void watchBelowTheCompactedHistoryFails() throws Exception {
        long first = store.put(p + "a", bytes("1"));
        store.put(p + "a", bytes("2"));
        long third = store.put(p + "a", bytes("3"));
        store.compact(third);
        assertThat(store.firstWatchableRevision()).isGreaterThanOrEqualTo(third);
        assertThatThrownBy(() -> store.watch(p, first))
                .isInstanceOfSatisfying(CompactedException.class, e -> {
                    assertThat(e.requestedRevision()).isEqualTo(first);
                    assertThat(e.firstWatchableRevision()).isEqualTo(third);
                });
        WatchCollector fromCompaction = new WatchCollector(store.watch(p, third));
        assertThat(fromCompaction.awaitEvents(1, WAIT)).extracting(WatchEvent::revision).containsExactly(third);
        assertThat(store.get(p + "a").orElseThrow().value()).isEqualTo(bytes("3"));
    }

    @Test
    void compactionIgnoresRevisionsAlreadyCompactedAndRefusesFutureOnes() {
        store.put(p + "a", bytes("1"));
        long current = store.currentRevision();
        store.compact(current);
        store.compact(current - 1);
        store.compact(0);
        assertThat(store.firstWatchableRevision()).isEqualTo(current);
        assertThatThrownBy(() -> store.compact(current + 10)).isInstanceOf(StoreException.class)
                .hasMessageContaining("revision");
        assertThat(store.firstWatchableRevision()).isEqualTo(current);
    }

    @Test
    void aSlowWatcherIsCancelledWithTheRevisionToResumeFrom() throws Exception {
        long start = store.currentRevision() + 1;
        Watch slow = store.watch(p, start);
        int perTxn = 500;
        int txns = WATCH_BUFFERED_EVENTS / perTxn + 2;
        long last = 0;
        for (int t = 0; t < txns; t++) {
            int batch = t;
            last = store.txn(Txn.of(List.of(), IntStream.range(0, perTxn)
                    .<Op>mapToObj(i -> new Op.Put(p + batch + "/" + i, bytes("v"))).toList())).revision();
        }
        awaitServedLocally(last);
        WatchCancelledException cancelled = Await.value(WAIT, "the slow watch to be cancelled", () -> {
            try {
                List<WatchEvent> events = slow.poll(Duration.ofMillis(50));
                assertThat(events).as("a watch that overflowed delivers nothing more").isEmpty();
                return null;
            } catch (WatchCancelledException e) {
                return e;
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(cancelled.resumeRevision()).isEqualTo(start);
        WatchCollector resumed = new WatchCollector(store.watch(p, cancelled.resumeRevision()));
        assertThat(resumed.awaitEvents(txns * perTxn, WAIT)).hasSize(txns * perTxn);
    }

    @Test
    void aClosedWatchThrowsOnPoll() {
        Watch watch = store.watch(p, 0);
        watch.close();
        assertThatThrownBy(() -> watch.poll(Duration.ofMillis(10))).isInstanceOf(WatchCancelledException.class);
    }

    // --- limits and malformed input ---

    @Test
    void requestsOverTheLimitsAreRefusedClearly() {
        String longKey = p + "k".repeat(Store.MAX_KEY_BYTES);
        assertThatThrownBy(() -> store.put(longKey, bytes("v"))).isInstanceOf(LimitExceededException.class)
                .hasMessageContaining("limit");
        assertThatThrownBy(() -> store.get(longKey)).isInstanceOf(LimitExceededException.class);
        assertThatThrownBy(() -> store.put(p + "v", new byte[Store.MAX_VALUE_BYTES + 1]))
                .isInstanceOf(LimitExceededException.class).hasMessageContaining(String.valueOf(Store.MAX_VALUE_BYTES));
        List<Op> tooMany = IntStream.range(0, Store.MAX_TXN_OPS + 1).<Op>mapToObj(i -> new Op.Delete(p + i)).toList();
        assertThatThrownBy(() -> store.txn(Txn.of(List.of(), tooMany))).isInstanceOf(LimitExceededException.class);
    }

    @Test
    void theLargestValueIsAccepted() {
        byte[] largest = new byte[Store.MAX_VALUE_BYTES];
        largest[largest.length - 1] = 7;
        store.put(p + "largest", largest);
        assertThat(store.get(p + "largest").orElseThrow().value()).isEqualTo(largest);
    }

    @Test
    void malformedRequestsAreIllegalArguments() {
        assertThatThrownBy(() -> store.put("", bytes("v"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.put(null, bytes("v"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.put(p + "a", null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.put(p + "\uD800", bytes("v"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.range(p, null, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.watch(p, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.compact(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    // --- leadership ---

    @Test
    void leadershipNamesALeader() {
        Await.until(WAIT, "a known leader", () -> store.leadership().leaderId().isPresent());
        Optional<String> leader = store.leadership().leaderId();
        assertThat(leader).isPresent();
    }

    // --- helpers ---

    protected String prefix() {
        return p;
    }

    protected Op.Put put(String suffix, String value) {
        return new Op.Put(p + suffix, bytes(value));
    }

    protected static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** A duplicate or stray event would already be queued behind the ones received, so a short poll sees it. */
    private static void assertNoMoreEvents(WatchCollector collector) throws InterruptedException {
        assertThat(collector.pollOnce(Duration.ofMillis(100))).isEmpty();
    }
}
