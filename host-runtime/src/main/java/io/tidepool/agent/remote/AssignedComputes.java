package io.tidepool.agent.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tidepool.agent.ControlPlaneLink.UnreachableException;
import io.tidepool.api.codec.ResourceJson;
import io.tidepool.api.resource.Compute;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The computes the control plane assigns to one host, kept from its list and watch
 * ({@code GET /api/v1/computes?host=NAME}, then {@code &watch=true} from the list's revision on).
 * One thread follows the stream: when it breaks, it watches again from the last revision it
 * applied (events of that revision come again, harmlessly, so none of one transaction is lost);
 * when that history was compacted (410), it lists again. A stream that says nothing for three of
 * the server's 10 s heartbeats is taken for dead and replaced. Listeners hear of each change at once.
 *
 * <p>An agent that cannot follow its computes cannot know what it may run: after {@link #STALE_AFTER}
 * without a stream, {@link #current} refuses, as if the control plane could not be reached.
 */
final class AssignedComputes implements AutoCloseable {
    static final Duration STALE_AFTER = Duration.ofSeconds(5);
    private static final Duration SILENCE_LIMIT = Duration.ofSeconds(30);
    private static final Duration SILENCE_CHECK = Duration.ofSeconds(5);
    private static final Duration HEADERS_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration RETRY_MIN = Duration.ofMillis(100);
    private static final Duration RETRY_MAX = Duration.ofSeconds(5);
    private static final Logger log = LoggerFactory.getLogger(AssignedComputes.class);

    /** The list's history is gone from the store: list again. */
    private static final class GoneException extends IOException {
        GoneException(String message) {
            super(message);
        }
    }

    private final ControlPlaneNodes nodes;
    private final String host;
    private final ObjectMapper json = ResourceJson.mapper();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final CountDownLatch firstList = new CountDownLatch(1);
    private final CountDownLatch closed = new CountDownLatch(1);
    private final Thread follower;
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "assigned-computes-watchdog");
        thread.setDaemon(true);
        return thread;
    });
    private volatile Map<String, Compute> computes = Map.of();
    private volatile InputStream stream;
    private volatile long lastHeardNanos;
    private volatile long streamEndedNanos = System.nanoTime();
    private volatile String lastFailure = "not connected yet";
    /** The revision to watch from next; 0 to list first. Only the follower thread uses it. */
    private long resumeFrom;

    AssignedComputes(ControlPlaneNodes nodes, String host) {
        this.nodes = nodes;
        this.host = host;
        this.follower = new Thread(this::follow, "assigned-computes-" + host);
        follower.setDaemon(true);
    }

    void start() {
        follower.start();
        watchdog.scheduleWithFixedDelay(this::checkSilence, SILENCE_CHECK.toMillis(), SILENCE_CHECK.toMillis(), TimeUnit.MILLISECONDS);
    }

    void onChange(Runnable listener) {
        listeners.add(listener);
    }

    /**
     * The host's computes now, waiting up to {@code firstListWait} for the first list.
     *
     * @throws UnreachableException when they are not known, or no longer followed
     */
    List<Compute> current(Duration firstListWait) {
        try {
            if (!firstList.await(firstListWait.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new UnreachableException("no list of host " + host + "'s computes yet: " + lastFailure);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnreachableException("interrupted while waiting for the computes of host " + host);
        }
        if (stream == null && System.nanoTime() - streamEndedNanos > STALE_AFTER.toNanos()) {
            throw new UnreachableException("not following host " + host + "'s computes: " + lastFailure);
        }
        return List.copyOf(computes.values());
    }

    private void follow() {
        Duration retry = RETRY_MIN;
        while (closed.getCount() > 0) {
            boolean taken = false;
            try {
                if (resumeFrom == 0) {
                    list();
                }
                taken = watch();
            } catch (GoneException e) {
                resumeFrom = 0;
                taken = true;
                lastFailure = e.getMessage();
            } catch (IOException | RuntimeException e) {
                lastFailure = e.getMessage() == null ? e.toString() : e.getMessage();
                log.debug("{}: following its computes failed: {}", host, lastFailure);
            }
            retry = taken ? RETRY_MIN : min(retry.multipliedBy(2), RETRY_MAX);
            try {
                closed.await(retry.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void list() throws IOException {
        HttpResponse<byte[]> response = nodes.send(ControlPlaneNodes.Route.ANY,
                node -> HttpRequest.newBuilder(computesOf(node, "")).timeout(HEADERS_TIMEOUT).GET(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IOException("listing host " + host + "'s computes: " + ControlPlaneNodes.errorOf(response));
        }
        JsonNode page = json.readTree(response.body());
        Map<String, Compute> listed = new HashMap<>();
        for (JsonNode item : page.path("items")) {
            Compute compute = json.treeToValue(item, Compute.class);
            listed.put(compute.name(), compute);
        }
        resumeFrom = page.path("revision").asLong() + 1;
        streamEndedNanos = System.nanoTime();
        replace(Map.copyOf(listed));
        firstList.countDown();
    }

    /** Follows one stream until it ends; true when the server took the watch, so that watching again needs no backoff. */
    private boolean watch() throws IOException {
        HttpResponse<InputStream> response = nodes.send(ControlPlaneNodes.Route.ANY,
                node -> HttpRequest.newBuilder(computesOf(node, "&watch=true&revision=" + resumeFrom))
                        .timeout(HEADERS_TIMEOUT).GET(),
                HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            String error;
            try (InputStream body = response.body()) {
                error = ControlPlaneNodes.errorOf(response.statusCode(), body.readNBytes(64 * 1024));
            }
            if (response.statusCode() == 410) {
                throw new GoneException("watching host " + host + "'s computes: " + error);
            }
            throw new IOException("watching host " + host + "'s computes: " + error);
        }
        lastHeardNanos = System.nanoTime();
        stream = response.body();
        try (EventStreamReader events = new EventStreamReader(response.body(), () -> lastHeardNanos = System.nanoTime())) {
            if (closed.getCount() == 0) {
                return true;
            }
            for (EventStreamReader.Event event = events.next(); event != null; event = events.next()) {
                if (!apply(event)) {
                    break;
                }
            }
            lastFailure = "the watch of host " + host + "'s computes ended";
        } finally {
            stream = null;
            streamEndedNanos = System.nanoTime();
        }
        return true;
    }

    /** Applies one event; false when the server ended the stream with an error. */
    private boolean apply(EventStreamReader.Event event) throws IOException {
        JsonNode data = json.readTree(event.data());
        switch (event.type()) {
            case "PUT" -> {
                Compute compute = json.treeToValue(data.path("object"), Compute.class);
                if (!compute.equals(computes.get(compute.name()))) {
                    Map<String, Compute> next = new HashMap<>(computes);
                    next.put(compute.name(), compute);
                    replace(Map.copyOf(next));
                }
            }
            case "DELETE" -> {
                String name = data.path("object").path("metadata").path("name").asText();
                if (computes.containsKey(name)) {
                    Map<String, Compute> next = new HashMap<>(computes);
                    next.remove(name);
                    replace(Map.copyOf(next));
                }
            }
            default -> {
                lastFailure = "the server ended the watch: " + data.path("error").asText(event.data());
                if (data.hasNonNull("resumeRevision")) {
                    resumeFrom = data.get("resumeRevision").asLong();
                }
                return false;
            }
        }
        resumeFrom = Long.parseLong(event.id());
        return true;
    }

    private void replace(Map<String, Compute> next) {
        boolean changed = !Objects.equals(computes, next);
        computes = next;
        if (changed) {
            for (Runnable listener : listeners) {
                listener.run();
            }
        }
    }

    /** Closes a stream that has said nothing for too long, so that the follower watches again. */
    private void checkSilence() {
        InputStream open = stream;
        if (open != null && System.nanoTime() - lastHeardNanos > SILENCE_LIMIT.toNanos()) {
            log.info("{}: the watch of its computes said nothing for {} s; watching again", host, SILENCE_LIMIT.toSeconds());
            closeQuietly(open);
        }
    }

    private URI computesOf(URI node, String query) {
        return node.resolve("api/v1/computes?host=" + URLEncoder.encode(host, StandardCharsets.UTF_8) + query);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static void closeQuietly(InputStream open) {
        try {
            open.close();
        } catch (IOException e) {
            // closing is all that was wanted
        }
    }

    @Override
    public void close() {
        closed.countDown();
        watchdog.shutdownNow();
        InputStream open = stream;
        if (open != null) {
            closeQuietly(open);
        }
        try {
            follower.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
