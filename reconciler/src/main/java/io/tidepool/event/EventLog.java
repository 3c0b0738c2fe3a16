package io.tidepool.event;

import io.tidepool.api.resource.Event;
import io.tidepool.api.resource.Kind;
import io.tidepool.api.resource.ObjectMeta;
import io.tidepool.registry.ResourceRegistry;
import io.tidepool.registry.ResourceTxn;
import io.tidepool.store.Store;
import io.tidepool.store.StoreException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps what the controllers did as {@link Event} objects in the store, for {@code describe} and
 * the console, the way Kubernetes keeps its events: best effort and bounded. Controllers hand
 * notes over without waiting ({@link #record}); a writer thread stores them in batches, one
 * transaction each, counting a repeat of the same thing up rather than storing it again. Each
 * object may record a burst of events and then one per refill period; what exceeds that, or a full
 * queue, is dropped and counted. Events expire after their time to live, and the oldest go first
 * when there are more than the most kept.
 */
public final class EventLog implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EventLog.class);
    private static final int PER_TXN = 1_000;
    private static final Duration SWEEP_EVERY = Duration.ofMinutes(1);

    /**
     * @param ttl        how long an event is kept after it last happened
     * @param maxEvents  the most events kept; the oldest go first
     * @param queueSize  notes waiting to be written; more are dropped
     * @param burst      events an object may record at once
     * @param refill     after the burst, one more event per this long
     * @param flushEvery how often the writer stores what is queued
     */
    public record Settings(Duration ttl, int maxEvents, int queueSize, int burst, Duration refill, Duration flushEvery) {
        public static final Settings DEFAULT = new Settings(Duration.ofHours(1), 10_000, 10_000, 10, Duration.ofSeconds(30),
                Duration.ofMillis(500));
    }

    private final ResourceRegistry registry;
    private final InstantSource clock;
    private final Settings settings;
    private final BlockingQueue<EventNote> queue;
    private final EventRate rate;
    private final AtomicLong dropped = new AtomicLong();
    private Instant nextSweep = Instant.MIN;
    private Thread writer;
    private volatile boolean running;

    public EventLog(Store store, InstantSource clock, Settings settings) {
        this.registry = new ResourceRegistry(store);
        this.clock = clock;
        this.settings = settings;
        this.queue = new ArrayBlockingQueue<>(settings.queueSize());
        this.rate = new EventRate(settings.burst(), settings.refill());
    }

    /** Hands a note over to be stored; never waits, never fails: a note over the limits is dropped. */
    public void record(EventNote note) {
        boolean allowed;
        synchronized (rate) {
            allowed = rate.allow(note.involved(), note.at());
        }
        if (!allowed || !queue.offer(note)) {
            dropped.incrementAndGet();
        }
    }

    /** Notes dropped so far, over an object's rate or a full queue. */
    public long dropped() {
        return dropped.get();
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        writer = new Thread(this::writeForever, "event-log");
        writer.setDaemon(true);
        writer.start();
    }

    /** Stores what is queued now, and sweeps expired events when a sweep is due; for the writer and for tests. */
    public void flush() {
        List<EventNote> notes = new ArrayList<>();
        queue.drainTo(notes);
        Map<String, List<EventNote>> byName = new LinkedHashMap<>();
        notes.forEach(note -> byName.computeIfAbsent(EventNames.of(note), name -> new ArrayList<>()).add(note));
        List<Map.Entry<String, List<EventNote>>> entries = new ArrayList<>(byName.entrySet());
        for (int from = 0; from < entries.size(); from += PER_TXN) {
            write(entries.subList(from, Math.min(entries.size(), from + PER_TXN)));
        }
        Instant now = clock.instant();
        if (!now.isBefore(nextSweep)) {
            sweep(now);
            nextSweep = now.plus(SWEEP_EVERY);
            synchronized (rate) {
                rate.forgetFull(now);
            }
        }
    }

    private void writeForever() {
        while (running) {
            try {
                // Batches, not a write per note: events are history, a moment late is fine.
                TimeUnit.MILLISECONDS.sleep(settings.flushEvery().toMillis());
                flush();
            } catch (InterruptedException e) {
                return;
            } catch (StoreException | IllegalStateException e) {
                // Events are best effort: a store between leaders loses this batch, not the controllers' work.
                log.debug("storing events failed: {}", e.getMessage());
            }
        }
    }

    /** One transaction: each event created, or its count and last time raised; a lost race is tried once more. */
    private void write(List<Map.Entry<String, List<EventNote>>> batch) {
        for (int attempt = 0; attempt < 2; attempt++) {
            ResourceTxn txn = new ResourceTxn();
            for (Map.Entry<String, List<EventNote>> entry : batch) {
                Optional<Event> stored = registry.get(Event.class, Kind.EVENT, entry.getKey());
                Event next = EventUpdate.of(entry.getKey(), stored.orElse(null), entry.getValue());
                if (stored.isPresent()) {
                    txn.update(stored.get(), next);
                } else {
                    txn.create(next);
                }
            }
            if (registry.store().txn(txn.toTxn()).succeeded()) {
                return;
            }
        }
        dropped.addAndGet(batch.stream().mapToLong(e -> e.getValue().size()).sum());
    }

    /** Deletes the events that expired, then the oldest of those beyond the most kept. */
    private void sweep(Instant now) {
        List<Event> events = new ArrayList<>(registry.listAll(Kind.EVENT).stream().map(Event.class::cast).toList());
        events.sort(Comparator.comparing(EventLog::lastTime));
        Instant expiry = now.minus(settings.ttl());
        List<Event> gone = new ArrayList<>();
        int keep = events.size();
        for (Event event : events) {
            if (lastTime(event).isBefore(expiry) || keep > settings.maxEvents()) {
                gone.add(event);
                keep--;
            }
        }
        for (int from = 0; from < gone.size(); from += PER_TXN) {
            ResourceTxn txn = new ResourceTxn();
            gone.subList(from, Math.min(gone.size(), from + PER_TXN)).forEach(txn::delete);
            registry.store().txn(txn.toTxn());
        }
    }

    private static Instant lastTime(Event event) {
        return event.status() == null || event.status().lastTimestamp() == null ? Instant.EPOCH : event.status().lastTimestamp();
    }

    @Override
    public void close() {
        Thread stopping;
        synchronized (this) {
            running = false;
            stopping = writer;
            writer = null;
        }
        if (stopping != null) {
            stopping.interrupt();
            try {
                stopping.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The stored form of a batch of notes of one name. */
    static final class EventUpdate {
        private EventUpdate() {
        }

        static Event of(String name, Event stored, List<EventNote> notes) {
            EventNote first = notes.get(0);
            EventNote last = notes.get(notes.size() - 1);
            if (stored == null) {
                return new Event(ObjectMeta.named(name).withCreationTimestamp(first.at()),
                        new Event.Spec(first.involved(), first.type(), first.reason(), first.message()),
                        new Event.Status(first.at(), last.at(), notes.size()));
            }
            Event.Status status = stored.status();
            Instant firstAt = status == null || status.firstTimestamp() == null ? first.at() : status.firstTimestamp();
            int count = (status == null ? 0 : status.count()) + notes.size();
            return new Event(stored.metadata(), stored.spec(), new Event.Status(firstAt, last.at(), count));
        }
    }
}
