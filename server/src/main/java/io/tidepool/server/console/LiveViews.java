package io.tidepool.server.console;

import io.javalin.http.Context;
import io.tidepool.server.api.EventStreamStart;
import io.javalin.http.HttpResponseException;
import io.javalin.http.sse.SseClient;
import io.tidepool.server.console.ConsoleIndex.Change;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's live pages: each open page holds one server-sent event stream, and gets its view
 * again (the same JSON as a plain GET) when something it shows changed, at most once a second. What
 * changed comes from the {@link ConsoleIndex}'s one store watch, and, for an endpoint's chart, from
 * the leader's timelines: a browser costs no store watch of its own and nothing is polled.
 */
final class LiveViews implements AutoCloseable {
    static final int MAX_STREAMS = 256;
    private static final Logger log = LoggerFactory.getLogger(LiveViews.class);
    private static final Duration MIN_INTERVAL = Duration.ofSeconds(1);
    private static final Duration FLUSH_EVERY = Duration.ofMillis(200);
    private static final Duration HEARTBEAT = Duration.ofSeconds(15);

    /** A view as rendered, and which later changes would alter it. */
    record Rendered(byte[] json, Predicate<Change> affectedBy) {
    }

    private final ConsoleIndex index;
    private final Set<Stream> streams = ConcurrentHashMap.newKeySet();
    private final Semaphore slots = new Semaphore(MAX_STREAMS);
    private final ScheduledExecutorService flusher = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "console-live");
        t.setDaemon(true);
        return t;
    });
    private final Consumer<List<Change>> listener = this::changed;

    LiveViews(ConsoleIndex index) {
        this.index = index;
        index.addListener(listener);
        flusher.scheduleWithFixedDelay(this::flush, FLUSH_EVERY.toMillis(), FLUSH_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Streams a view to the page that asked: at once, then whenever a change affects it.
     *
     * @param render        renders the view now; runs on this class's thread after the first time
     * @param alsoListen    subscribes to other news of the view (an endpoint's timeline); its handle stops it
     */
    void stream(Context ctx, Supplier<Rendered> render, Function<Runnable, AutoCloseable> alsoListen) {
        if (!slots.tryAcquire()) {
            throw new HttpResponseException(503, "too many open console pages (" + MAX_STREAMS + "); try again later");
        }
        Rendered first;
        long renderedAt = index.revision();
        try {
            first = render.get();
        } catch (RuntimeException e) {
            slots.release();
            throw e;
        }
        EventStreamStart.begin(ctx);
        ctx.async(config -> config.timeout = 0, () -> {
            SseClient client = new SseClient(ctx);
            client.keepAlive();
            Stream stream = new Stream(client, render, first.affectedBy());
            stream.send(first.json());
            stream.extra = alsoListen.apply(() -> stream.dirty = true);
            streams.add(stream);
            client.onClose(() -> stop(stream));
            // What changed between the first rendering and joining the streams would otherwise be missed.
            stream.dirty = index.revision() != renderedAt;
        });
    }

    private void changed(List<Change> changes) {
        for (Stream stream : streams) {
            if (!stream.dirty) {
                Predicate<Change> affected = stream.affectedBy;
                for (Change change : changes) {
                    if (affected.test(change)) {
                        stream.dirty = true;
                        break;
                    }
                }
            }
        }
    }

    private void flush() {
        long now = System.nanoTime();
        for (Stream stream : streams) {
            try {
                if (stream.client.terminated()) {
                    stop(stream);
                } else if (stream.dirty && now - stream.sentNanos >= MIN_INTERVAL.toNanos()) {
                    stream.dirty = false;
                    Rendered view = stream.render.get();
                    stream.affectedBy = view.affectedBy();
                    stream.send(view.json());
                } else if (now - stream.sentNanos >= HEARTBEAT.toNanos()) {
                    stream.client.sendComment("heartbeat");
                    stream.sentNanos = now;
                }
            } catch (RuntimeException e) {
                // The view went away (its endpoint deleted) or the store is down: the page says so and reconnects.
                log.debug("a live console view failed: {}", e.toString());
                stream.client.sendEvent("failure", "{\"error\":" + quoted(String.valueOf(e.getMessage())) + "}", null);
                stop(stream);
            }
        }
    }

    private void stop(Stream stream) {
        if (streams.remove(stream)) {
            slots.release();
            if (stream.extra != null) {
                try {
                    stream.extra.close();
                } catch (Exception e) {
                    log.debug("stopping a live view's listener: {}", e.toString());
                }
            }
            stream.client.close();
        }
    }

    private static String quoted(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", " ").replace("\r", " ") + "\"";
    }

    int open() {
        return streams.size();
    }

    @Override
    public void close() {
        index.removeListener(listener);
        flusher.shutdownNow();
        streams.forEach(this::stop);
    }

    private static final class Stream {
        final SseClient client;
        final Supplier<Rendered> render;
        volatile Predicate<Change> affectedBy;
        volatile boolean dirty;
        volatile long sentNanos;
        AutoCloseable extra;

        Stream(SseClient client, Supplier<Rendered> render, Predicate<Change> affectedBy) {
            this.client = client;
            this.render = render;
            this.affectedBy = affectedBy;
        }

        void send(byte[] json) {
            client.sendEvent("view", new String(json, StandardCharsets.UTF_8), null);
            sentNanos = System.nanoTime();
        }
    }
}
