package io.tidepool.server.proxy;

import io.tidepool.endpoint.ClientAddresses;
import io.tidepool.endpoint.Resume;
import io.tidepool.proxy.EndpointProxy;
import io.tidepool.proxy.ProxyActivity;
import io.tidepool.proxy.ProxyTls;
import io.tidepool.proxy.RouteTable;
import io.tidepool.registry.ResourceRegistry;
import io.tidepool.store.Store;
import io.tidepool.telemetry.Telemetry;
import java.io.IOException;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;

/**
 * The endpoint proxy a control-plane node runs ({@code tidepool up}, {@code tidepool server
 * --proxy-ports}): every endpoint in the store served on its port, routes from the store, a
 * suspended endpoint resumed through the store by its first connection, and activity told to the
 * leader's telemetry, which suspend-after-idle reads.
 */
public final class NodeProxy implements AutoCloseable {
    private final EndpointProxy proxy;
    private final StoreRoutes routes;

    private NodeProxy(EndpointProxy proxy, StoreRoutes routes) {
        this.proxy = proxy;
        this.routes = routes;
    }

    /** The stable addresses the proxy gives endpoints, for the leader's controllers to write. */
    public static ClientAddresses addresses(ProxyPorts ports, ProxySettings settings) {
        return endpoint -> ports.of(endpoint).map(settings::address);
    }

    /**
     * Serves every endpoint there is before it returns.
     *
     * @param leaderTelemetry the leader's soft state when this node leads, else null: activity
     *                        seen by a node that does not lead is not passed on (yet)
     */
    public static NodeProxy start(Store store, ProxyPorts ports, ProxySettings settings,
                                  Supplier<Telemetry> leaderTelemetry, Clock clock) throws IOException {
        Optional<SSLContext> tls = settings.tlsCertificate().isPresent()
                ? Optional.of(ProxyTls.context(settings.tlsCertificate().get(), settings.tlsKey().orElseThrow()))
                : Optional.empty();
        RouteTable table = new RouteTable();
        ProxyActivity activity = new ProxyActivity(clock, (endpoint, at) -> {
            Telemetry telemetry = leaderTelemetry.get();
            if (telemetry != null) {
                telemetry.active(endpoint, at);
            }
        });
        ResourceRegistry registry = new ResourceRegistry(store);
        EndpointProxy.Settings proxySettings = EndpointProxy.Settings.of(settings.bindHost()).withTls(tls)
                .withBounds(settings.bounds()).withForwarding(settings.forwarding());
        EndpointProxy proxy = new EndpointProxy(proxySettings, table,
                endpoint -> wake(registry, endpoint, clock), activity, clock);
        StoreRoutes routes = new StoreRoutes(store, table, proxy, ports);
        try {
            routes.start();
        } catch (RuntimeException e) {
            routes.close();
            proxy.close();
            throw e;
        }
        return new NodeProxy(proxy, routes);
    }

    /**
     * Asks for the resume. An endpoint that is no longer suspended (another connection or the API
     * resumed it meanwhile) is no error: the connection waits for it to run like any other.
     */
    private static void wake(ResourceRegistry registry, String endpoint, Clock clock) {
        try {
            Resume.ask(registry, endpoint, clock.instant());
        } catch (Resume.RefusedException e) {
            if (e.missing()) {
                throw e;
            }
        }
    }

    /** The port each endpoint is served on now. */
    public Map<String, Integer> ports() {
        return proxy.ports();
    }

    public ProxyActivity activity() {
        return proxy.activity();
    }

    /** Endpoints whose new connections go straight to their primary's Postgres on this machine now. */
    public Set<String> steered() {
        return proxy.steered().keySet();
    }

    @Override
    public void close() {
        try {
            routes.close();
        } finally {
            proxy.close();
        }
    }
}
