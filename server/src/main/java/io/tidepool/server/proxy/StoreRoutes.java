package io.tidepool.server.proxy;

import io.tidepool.api.resource.Compute;
import io.tidepool.api.resource.Endpoint;
import io.tidepool.api.resource.Kind;
import io.tidepool.proxy.EndpointProxy;
import io.tidepool.proxy.EndpointState;
import io.tidepool.proxy.RouteTable;
import io.tidepool.reconcile.Informer;
import io.tidepool.registry.ResourceRegistry;
import io.tidepool.store.Store;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the proxy's {@link RouteTable} and its ports current from the store: endpoints and computes
 * are followed with an informer each (on a thread each, so a resumed compute reaches the table the
 * moment its status does), and every change recomputes the state of the endpoint it concerns. A
 * new endpoint is given its port and served; a deleted one stops being served and gives its port back.
 */
final class StoreRoutes implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StoreRoutes.class);
    private static final Duration POLL = Duration.ofSeconds(1);
    private static final Duration RETRY = Duration.ofSeconds(1);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

    private final Informer<Endpoint> endpoints;
    private final Informer<Compute> computes;
    private final RouteTable routes;
    private final EndpointProxy proxy;
    private final ProxyPorts ports;
    private final CountDownLatch closed = new CountDownLatch(1);
    private final List<Thread> followers;

    StoreRoutes(Store store, RouteTable routes, EndpointProxy proxy, ProxyPorts ports) {
        ResourceRegistry registry = new ResourceRegistry(store);
        this.endpoints = new Informer<>(registry, Kind.ENDPOINT, Endpoint.class);
        this.computes = new Informer<>(registry, Kind.COMPUTE, Compute.class);
        this.routes = routes;
        this.proxy = proxy;
        this.ports = ports;
        followers = List.of(new Thread(() -> follow(endpoints), "proxy-endpoints"),
                new Thread(() -> follow(computes), "proxy-computes"));
    }

    /** Lists both kinds and serves every endpoint there is before returning; then follows changes. */
    void start() {
        computes.start();
        endpoints.start();
        for (Endpoint endpoint : endpoints.list()) {
            refresh(endpoint.name());
        }
        endpoints.addHandler((before, after) -> refresh(after != null ? after.name() : before.name()));
        computes.addHandler((before, after) -> refresh(after != null ? after.spec().endpoint() : before.spec().endpoint()));
        followers.forEach(thread -> {
            thread.setDaemon(true);
            thread.start();
        });
    }

    /** The endpoint's state from the two copies, both threads' handlers alike. */
    private synchronized void refresh(String name) {
        Endpoint endpoint = endpoints.get(name).orElse(null);
        if (endpoint == null) {
            routes.remove(name);
            proxy.stopServing(name);
            try {
                ports.release(name);
            } catch (RuntimeException e) {
                log.warn("proxy: could not give back the port of deleted endpoint {}: {}", name, e.toString());
            }
            return;
        }
        String primaryName = endpoint.status() == null ? null : endpoint.status().compute();
        Compute primary = primaryName == null ? null : computes.get(primaryName).orElse(null);
        routes.put(name, EndpointState.of(endpoint, primary));
        if (!proxy.ports().containsKey(name)) {
            serve(name);
        }
    }

    private void serve(String name) {
        try {
            proxy.serve(name, ports.assign(name));
        } catch (IOException | RuntimeException e) {
            log.warn("proxy: endpoint {} is not served: {}", name, e.getMessage());
        }
    }

    private void follow(Informer<?> informer) {
        while (closed.getCount() > 0) {
            try {
                informer.pump(POLL);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (closed.getCount() == 0) {
                    return;
                }
                log.warn("proxy: cannot follow the {} in the store; again in {} s: {}", informer.kind().plural(),
                        RETRY.toSeconds(), e.toString());
                try {
                    closed.await(RETRY.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException stopped) {
                    return;
                }
            }
        }
    }

    @Override
    public void close() {
        closed.countDown();
        for (Thread thread : followers) {
            thread.interrupt();
            try {
                thread.join(STOP_TIMEOUT.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        endpoints.close();
        computes.close();
    }
}
