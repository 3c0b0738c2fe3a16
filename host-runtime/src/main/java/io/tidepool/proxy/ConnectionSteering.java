package io.tidepool.proxy;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps {@link ListenerSteering} in step with the routes, on a thread of its own: an endpoint's
 * port is steered to its primary's listener while the proxy would route every new connection
 * there anyway, and released the moment the endpoint is anything else (switching over, suspended,
 * gone), so that new connections reach the proxy's own listener to be held or woken. Once a second
 * it also reads the steered connections' counts and quiet times from the kernel
 * ({@link SocketDiag}) into {@link ProxyActivity}, which suspend-after-idle goes by.
 */
final class ConnectionSteering implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ConnectionSteering.class);
    static final Duration LOOK_EVERY = Duration.ofSeconds(1);
    /** A primary whose listener was not found on this machine is looked for again after this. */
    private static final Duration LOOK_AGAIN = Duration.ofSeconds(10);

    private record Steered(int port, EndpointState.Backend backend) {
    }

    private record NotLocal(EndpointState.Backend backend, Instant until) {
    }

    private final ListenerSteering steering;
    private final RouteTable routes;
    private final Supplier<Map<String, Integer>> ports;
    private final ProxyActivity activity;
    private final InstantSource clock;
    private final LocalListeners listeners;
    private final Map<String, Steered> steered = new ConcurrentHashMap<>();
    private final Map<String, NotLocal> notLocal = new HashMap<>();
    private final Set<String> observed = new HashSet<>();
    private final Thread thread = new Thread(this::run, "proxy-steering");
    private volatile boolean closed;

    ConnectionSteering(ListenerSteering steering, RouteTable routes, Supplier<Map<String, Integer>> ports,
                       ProxyActivity activity, InstantSource clock, LocalListeners listeners) {
        this.steering = steering;
        this.routes = routes;
        this.ports = ports;
        this.activity = activity;
        this.clock = clock;
        this.listeners = listeners;
        thread.setDaemon(true);
        thread.start();
    }

    /** Where new connections to the endpoint go now, when the kernel hands them straight over. */
    static Optional<EndpointState.Backend> target(EndpointState state) {
        if (state == null || state.failure() != null || state.simulated() || state.switching() || state.suspended()) {
            return Optional.empty();
        }
        return state.backend();
    }

    /** Endpoints whose new connections go straight to their primary now, and where. */
    Map<String, EndpointState.Backend> steered() {
        Map<String, EndpointState.Backend> now = new HashMap<>();
        steered.forEach((endpoint, steer) -> now.put(endpoint, steer.backend()));
        return now;
    }

    private void run() {
        long nextLook = System.nanoTime();
        while (!closed) {
            try {
                long seen = routes.version();
                Map<String, Integer> served = ports.get();
                follow(served);
                // A route change steers at once; the kernel's connection table is read once a second
                // whatever the changes, as it costs a dump of every connection of the machine.
                if (System.nanoTime() - nextLook >= 0) {
                    observe(served);
                    nextLook = System.nanoTime() + LOOK_EVERY.toNanos();
                }
                routes.awaitChange(seen, Duration.ofNanos(Math.max(1, nextLook - System.nanoTime())));
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.warn("proxy: steering connections failed, going on: {}", e.toString());
            }
        }
    }

    private void follow(Map<String, Integer> served) {
        for (Map.Entry<String, Steered> entry : Map.copyOf(steered).entrySet()) {
            String endpoint = entry.getKey();
            Optional<EndpointState.Backend> target = target(routes.get(endpoint));
            Integer port = served.get(endpoint);
            if (port == null || port != entry.getValue().port() || !target.equals(Optional.of(entry.getValue().backend()))) {
                steering.release(entry.getValue().port());
                steered.remove(endpoint);
            }
        }
        Instant now = clock.instant();
        for (Map.Entry<String, Integer> entry : served.entrySet()) {
            String endpoint = entry.getKey();
            Optional<EndpointState.Backend> target = target(routes.get(endpoint));
            if (target.isEmpty() || steered.containsKey(endpoint)) {
                continue;
            }
            NotLocal known = notLocal.get(endpoint);
            if (known != null && known.backend().equals(target.get()) && now.isBefore(known.until())) {
                continue;
            }
            steer(endpoint, entry.getValue(), target.get(), now);
        }
    }

    private void steer(String endpoint, int port, EndpointState.Backend backend, Instant now) {
        Optional<LocalListeners.Listener> listener = listeners.find(backend);
        if (listener.isEmpty()) {
            notLocal.put(endpoint, new NotLocal(backend, now.plus(LOOK_AGAIN)));
            return;
        }
        notLocal.remove(endpoint);
        try {
            steering.steer(port, listener.get().pid(), listener.get().fd());
            steered.put(endpoint, new Steered(port, backend));
            observed.add(endpoint);
            log.debug("{}: new connections to port {} go straight to {}:{}", endpoint, port, backend.host(), backend.port());
        } catch (IOException e) {
            notLocal.put(endpoint, new NotLocal(backend, now.plus(LOOK_AGAIN)));
            log.info("{}: connections go through the proxy: {}", endpoint, e.getMessage());
        }
    }

    /** Steered connections outlive their steering: an endpoint is watched until its last one closes. */
    private void observe(Map<String, Integer> served) {
        if (observed.isEmpty()) {
            return;
        }
        List<SocketDiag.Connection> connections;
        try {
            connections = SocketDiag.established();
        } catch (IOException e) {
            log.warn("proxy: cannot read steered connections' activity: {}", e.getMessage());
            return;
        }
        Instant now = clock.instant();
        Set<Long> proxied = null;
        for (String endpoint : Set.copyOf(observed)) {
            Integer port = served.get(endpoint);
            if (port == null) {
                observed.remove(endpoint);
                activity.steered(endpoint, 0, null);
                continue;
            }
            if (proxied == null && activity.proxied(endpoint) > 0) {
                proxied = ownSockets();
            }
            int open = 0;
            long quiet = Long.MAX_VALUE;
            for (SocketDiag.Connection connection : connections) {
                if (connection.localPort() == port && (proxied == null || !proxied.contains(connection.inode()))) {
                    open++;
                    quiet = Math.min(quiet, connection.quietMillis());
                }
            }
            activity.steered(endpoint, open, open == 0 ? null : now.minusMillis(Math.min(quiet, Integer.MAX_VALUE)));
            if (open == 0 && !steered.containsKey(endpoint)) {
                observed.remove(endpoint);
            }
        }
    }

    /** The inodes of this process's sockets: the proxy's own connections share the endpoints' ports. */
    private static Set<Long> ownSockets() {
        Set<Long> inodes = new HashSet<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path fd : fds) {
                try {
                    String link = Files.readSymbolicLink(fd).toString();
                    if (link.startsWith("socket:[")) {
                        inodes.add(Long.parseLong(link.substring(8, link.length() - 1)));
                    }
                } catch (IOException e) {
                    // Closed meanwhile.
                }
            }
        } catch (IOException e) {
            log.debug("cannot list this process's descriptors: {}", e.toString());
        }
        return inodes;
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(Duration.ofSeconds(5).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        steering.close();
    }
}
