package io.tidepool.store.watch;

import io.tidepool.store.CompactedException;
import io.tidepool.store.KeyValue;
import io.tidepool.store.Watch;
import io.tidepool.store.WatchCancelledException;
import io.tidepool.store.WatchEvent;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WatchHubTest {
    private static final Duration SHORT = Duration.ofMillis(20);

    /** A change history in memory whose contents a test can replace, as a snapshot install does. */
    private static final class History implements ChangeHistory {
        TreeMap<Long, List<WatchEvent>> revisions = new TreeMap<>();
        long firstKept = 1;

        @Override
        public synchronized HistoryPage read(String prefix, long from, long to, int maxEvents) {
            if (from < firstKept) {
                throw new CompactedException(from, firstKept);
            }
            List<WatchEvent> events = new ArrayList<>();
            for (Map.Entry<Long, List<WatchEvent>> entry : revisions.subMap(from, true, to, true).entrySet()) {
                entry.getValue().stream().filter(e -> e.kv().key().startsWith(prefix)).forEach(events::add);
            }
            return new HistoryPage(events, to + 1);
        }

        synchronized List<WatchEvent> add(long revision, String key) {
            List<WatchEvent> events = List.of(new WatchEvent(WatchEvent.Type.PUT,
                    new KeyValue(key, new byte[] {1}, revision, revision, 1)));
            revisions.put(revision, events);
            return events;
        }
    }

    private final History history = new History();

    @Test
    void aWatchCatchesUpFromHistoryThenTakesLiveEvents() throws Exception {
        history.add(1, "a");
        history.add(2, "b");
        WatchHub hub = new WatchHub(history, 2, 100);
        Watch watch = hub.open("", 1);
        hub.publish(3, history.add(3, "c"));
        assertThat(keys(watch.poll(SHORT))).containsExactly("a", "b");
        assertThat(keys(watch.poll(SHORT))).containsExactly("c");
        assertThat(watch.poll(SHORT)).isEmpty();
    }

    @Test
    void aSuspendedHubDeliversNothingUntilItResumesFromTheNewHistory() throws Exception {
        history.add(1, "a");
        WatchHub hub = new WatchHub(history, 1, 100);
        Watch watch = hub.open("", 1);
        assertThat(keys(watch.poll(SHORT))).containsExactly("a");
        hub.publish(2, history.add(2, "b"));
        hub.suspend();
        assertThat(watch.poll(SHORT)).as("nothing while the history is replaced").isEmpty();
        // The installed snapshot holds revisions 2..4; the queued live event of revision 2 is dropped
        // and read again from the new history, so it arrives exactly once.
        history.add(3, "c");
        history.add(4, "d");
        hub.resume(4);
        hub.publish(5, history.add(5, "e"));
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 3 && keys.size() < 4; i++) {
            keys.addAll(keys(watch.poll(SHORT)));
        }
        assertThat(keys).containsExactly("b", "c", "d", "e");
    }

    @Test
    void aWatchWhoseHistoryWasCompactedAwayIsCancelledWithItsNextRevision() throws Exception {
        history.add(1, "a");
        history.add(2, "b");
        WatchHub hub = new WatchHub(history, 2, 100);
        Watch watch = hub.open("", 1);
        history.firstKept = 2;
        assertThatThrownBy(() -> watch.poll(SHORT)).isInstanceOfSatisfying(WatchCancelledException.class,
                e -> assertThat(e.resumeRevision()).isEqualTo(1));
    }

    @Test
    void closingTheHubCancelsEveryWatch() {
        WatchHub hub = new WatchHub(history, 0, 100);
        Watch watch = hub.open("", 1);
        hub.close("store closed");
        assertThatThrownBy(() -> watch.poll(SHORT)).isInstanceOf(WatchCancelledException.class)
                .hasMessageContaining("store closed");
        assertThat(hub.size()).isZero();
    }

    private static List<String> keys(List<WatchEvent> events) {
        return events.stream().map(e -> e.kv().key()).toList();
    }
}
