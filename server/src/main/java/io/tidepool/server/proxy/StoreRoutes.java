package io.tidepool.server.proxy;

import io.tidepool.api.resource.Compute;
import io.tidepool.api.resource.Endpoint;
import io.tidepool.api.resource.Kind;
import io.tidepool.proxy.EndpointProxy;
import io.tidepool.proxy.EndpointState;
import io.tidepool.proxy.RouteTable;
import io.tidepool.reconcile.Informer;
import io.tidepool.reconcile.InformerThread;
import io.tidepool.registry.ResourceRegistry;
import io.tidepool.store.Store;
import java.io.IOException;
import java.util.List;
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

    private final Informer<Endpoint> endpoints;
    private final Informer<Compute> computes;
    private final RouteTable routes;
    private final EndpointProxy proxy;
    private final ProxyPorts ports;
    private final List<InformerThread> followers;

    StoreRoutes(Store store, RouteTable routes, EndpointProxy proxy, ProxyPorts ports) {
        ResourceRegistry registry = new ResourceRegistry(store);
        this.endpoints = new Informer<>(registry, Kind.ENDPOINT, Endpoint.class);
        this.computes = new Informer<>(registry, Kind.COMPUTE, Compute.class);
        this.routes = routes;
        this.proxy = proxy;
        this.ports = ports;
        followers = List.of(new InformerThread(endpoints, "proxy-endpoints", "for the proxy's routes"),
                new InformerThread(computes, "proxy-computes", "for the proxy's routes"));
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
        followers.forEach(InformerThread::start);
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

    @Override
    public void close() {
        followers.forEach(InformerThread::close);
    }
}
