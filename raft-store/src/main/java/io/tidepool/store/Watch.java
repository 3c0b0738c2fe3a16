package io.tidepool.store;

import java.time.Duration;
import java.util.List;

/**
 * A stream of changes, pulled by its consumer. Each watch buffers a bounded number of events; a
 * consumer that falls further behind has its watch cancelled with {@link WatchCancelledException},
 * which says the revision to watch from again. Events of one revision are never split across polls.
 */
public interface Watch extends AutoCloseable {
    /**
     * Most events buffered for one watch before it is cancelled as too slow: the default bound; a
     * store may be configured with a smaller one. History a watch replays is read in pages and does
     * not count, only live events waiting for the consumer.
     */
    int MAX_BUFFERED_EVENTS = 100_000;

    /**
     * The next events in revision order, waiting up to {@code timeout} for at least one; empty when
     * none came in time.
     *
     * @throws WatchCancelledException when the watch was cancelled (slow consumer, store closed,
     *                                 history replaced by a snapshot); the exception says where to resume
     */
    List<WatchEvent> poll(Duration timeout) throws InterruptedException;

    /** Stops the watch; polls after this throw {@link WatchCancelledException}. */
    @Override
    void close();
}
