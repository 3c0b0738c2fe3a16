package io.tidepool.server.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import io.tidepool.api.codec.ResourceJson;
import io.tidepool.api.resource.Kind;
import io.tidepool.api.resource.Resource;
import io.tidepool.registry.ResourceKeys;
import io.tidepool.registry.ResourceRegistry;
import io.tidepool.store.CompactedException;
import io.tidepool.store.Watch;
import io.tidepool.store.WatchCancelledException;
import io.tidepool.store.WatchEvent;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * {@code GET /api/v1/KIND?watch=true}: the kind's changes as server-sent events, from
 * {@code ?revision=N} (or the {@code Last-Event-ID} a reconnecting client sends, or else from now).
 * Each event's id is its revision; its data is {@code {"type": "PUT"|"DELETE", "object": {...}}}.
 * History that was compacted answers 410: list again and watch from the list's revision + 1.
 * {@code GET /api/v1/computes?watch=true&host=NAME} streams only that host's computes (see
 * {@link ComputesOnHost}).
 */
final class WatchStream implements AutoCloseable {
    static final int MAX_WATCHES = 256;
    private static final Duration HEARTBEAT = Duration.ofSeconds(10);

    private final ResourceRegistry registry;
    private final Semaphore slots = new Semaphore(MAX_WATCHES);
    private final ExecutorService pumps = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "watch-pump");
        t.setDaemon(true);
        return t;
    });
    private final ObjectMapper json = ResourceJson.mapper();

    WatchStream(ResourceRegistry registry) {
        this.registry = registry;
    }

    void handle(Context ctx, Kind kind, Optional<String> host) throws Exception {
        long from = fromRevision(ctx);
        if (!slots.tryAcquire()) {
            throw new ApiError(503, "too many open watches (" + MAX_WATCHES + "); try again later");
        }
        Watch watch;
        UnaryOperator<List<WatchEvent>> filter;
        try {
            if (host.isPresent()) {
                ResourceRegistry.Page listed = registry.list(kind, null, 0);
                long sendFrom = from == 0 ? listed.revision() + 1 : from;
                // From the list on, so that the filter knows what each later change did to the host.
                watch = registry.store().watch(ResourceKeys.prefix(kind), Math.min(sendFrom, listed.revision() + 1));
                filter = new ComputesOnHost(host.get(), listed, sendFrom)::filter;
            } else {
                watch = registry.store().watch(ResourceKeys.prefix(kind), from);
                filter = UnaryOperator.identity();
            }
        } catch (CompactedException e) {
            slots.release();
            throw new ApiError(410, e.getMessage());
        } catch (RuntimeException e) {
            slots.release();
            throw e;
        }
        try {
            startEventStream(ctx, client -> {
                client.keepAlive();
                client.onClose(watch::close);
                pumps.execute(() -> pump(client, watch, filter));
            });
        } catch (RuntimeException e) {
            watch.close();
            slots.release();
            throw e;
        }
    }

    private static void startEventStream(Context ctx, Consumer<SseClient> consumer) {
        EventStreamStart.begin(ctx);
        ctx.async(config -> config.timeout = 0, () -> consumer.accept(new SseClient(ctx)));
    }

    private void pump(SseClient client, Watch watch, UnaryOperator<List<WatchEvent>> filter) {
        try {
            long lastSentNanos = System.nanoTime();
            while (!client.terminated()) {
                List<WatchEvent> polled = watch.poll(HEARTBEAT);
                List<WatchEvent> events = polled.isEmpty() ? polled : filter.apply(polled);
                // A filtered stream may pass nothing for long while the kind changes: it still says it is alive.
                if (events.isEmpty() && System.nanoTime() - lastSentNanos >= HEARTBEAT.toNanos()) {
                    client.sendComment("heartbeat");
                    lastSentNanos = System.nanoTime();
                }
                if (!events.isEmpty()) {
                    lastSentNanos = System.nanoTime();
                }
                for (WatchEvent event : events) {
                    client.sendEvent(event.type().name(), data(event), Long.toString(event.revision()));
                }
            }
        } catch (WatchCancelledException e) {
            ObjectNode error = json.createObjectNode().put("error", e.getMessage()).put("resumeRevision", e.resumeRevision());
            client.sendEvent("error", error.toString(), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | IOException e) {
            client.sendEvent("error", json.createObjectNode().put("error", String.valueOf(e.getMessage())).toString(), null);
        } finally {
            watch.close();
            client.close();
            slots.release();
        }
    }

    private String data(WatchEvent event) throws IOException {
        ObjectNode data = json.createObjectNode().put("type", event.type().name());
        if (event.type() == WatchEvent.Type.PUT) {
            Resource resource = ResourceRegistry.decode(event.kv());
            data.set("object", json.readTree(ResourceJson.encode(resource)));
        } else {
            ResourceKeys.Ref ref = ResourceKeys.parse(event.kv().key()).orElseThrow();
            ObjectNode object = data.putObject("object")
                    .put("apiVersion", Resource.API_VERSION)
                    .put("kind", ref.kind().displayName());
            object.putObject("metadata").put("name", ref.name()).put("resourceVersion", event.revision());
        }
        return data.toString();
    }

    private static long fromRevision(Context ctx) {
        String text = ctx.queryParam("revision");
        long offset = 0;
        if (text == null && ctx.header("Last-Event-ID") != null) {
            text = ctx.header("Last-Event-ID");
            offset = 1;
        }
        if (text == null) {
            return 0;
        }
        try {
            long revision = Long.parseLong(text.trim());
            if (revision < 0) {
                throw new NumberFormatException();
            }
            return revision + offset;
        } catch (NumberFormatException e) {
            throw ApiError.badRequest("revision must be a store revision, 0 or more, got \"" + text + "\"");
        }
    }

    @Override
    public void close() {
        pumps.shutdownNow();
        try {
            pumps.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
