package io.tidepool.agent.remote;

import io.tidepool.agent.ControlPlaneLink;
import io.tidepool.api.agent.ComputeMetrics;
import io.tidepool.api.agent.Heartbeat;
import io.tidepool.api.agent.UpscaleRequest;
import io.tidepool.api.codec.ResourceJson;
import io.tidepool.api.resource.Compute;
import io.tidepool.api.resource.Host;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control plane as a host agent on another machine reaches it: the REST API, with the host's
 * own token, on one or more control-plane nodes. The host's computes come from a list and watch
 * kept current in the background ({@link AssignedComputes}), so {@link #assigned} costs no call,
 * and {@link #onAssignedChange} wakes the agent the moment the control plane changes them. Every
 * failure to talk to the control plane is an {@link UnreachableException}: the agent fences
 * itself after its lease, whatever the cause (network, no leader, a token no longer valid).
 */
public final class RestLink implements ControlPlaneLink, AutoCloseable {
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);
    /** How long the first round waits for the first list of computes. */
    private static final Duration FIRST_LIST_WAIT = Duration.ofSeconds(2);
    private static final Logger log = LoggerFactory.getLogger(RestLink.class);

    private final String host;
    private final ControlPlaneNodes nodes;
    private final AssignedComputes assigned;
    /** Why the last call failed to reach the control plane; null while calls get through. */
    private final AtomicReference<String> trouble = new AtomicReference<>();

    private RestLink(String host, ControlPlaneNodes nodes) {
        this.host = host;
        this.nodes = nodes;
        this.assigned = new AssignedComputes(nodes, host);
    }

    /**
     * Starts following the computes of {@code host}; a control plane that cannot be reached yet is
     * not an error here, only in the calls made meanwhile.
     *
     * @param servers each control-plane node's URL, like {@code http://10.0.0.1:7480}
     * @param token   the host's own token ({@code tidepool token create --host NAME})
     */
    public static RestLink connect(List<URI> servers, String token, String host) {
        RestLink link = new RestLink(host, new ControlPlaneNodes(servers, token));
        link.assigned.start();
        return link;
    }

    public List<URI> servers() {
        return nodes.nodes();
    }

    /** Calls {@code listener} (on the watch's thread, so it must return at once) whenever the host's computes change. */
    public void onAssignedChange(Runnable listener) {
        assigned.onChange(listener);
    }

    /**
     * @throws IllegalArgumentException when the control plane will never take this host as it is
     *                                  declared (no such cell, a capacity too small, a token that
     *                                  is not this host's): asking again changes nothing
     */
    @Override
    public void register(Host host) {
        inContact(() -> registerOnce(host));
    }

    private void registerOnce(Host host) {
        HttpResponse<byte[]> response = call(ControlPlaneNodes.Route.ANY, "POST",
                "api/v1/hosts/" + encode(host.name()) + "/register", ResourceJson.encode(host));
        if (response.statusCode() == 400 || response.statusCode() == 403) {
            throw new IllegalArgumentException("the control plane refuses to register host " + host.name() + ": "
                    + ControlPlaneNodes.errorOf(response));
        }
        if (response.statusCode() != 200 && response.statusCode() != 201) {
            throw refused("registering host " + host.name(), response);
        }
    }

    @Override
    public List<Compute> assigned(String host) {
        requireOwnHost(host);
        return inContact(() -> assigned.current(FIRST_LIST_WAIT));
    }

    @Override
    public boolean report(String compute, Compute.Status status) {
        return inContact(() -> reportOnce(compute, status));
    }

    private boolean reportOnce(String compute, Compute.Status status) {
        HttpResponse<byte[]> response = call(ControlPlaneNodes.Route.ANY, "PUT",
                "api/v1/computes/" + encode(compute) + "/status", json(status));
        switch (response.statusCode()) {
            case 200:
                return true;
            case 404:
            case 409:
                return false;
            case 403:
                // Moved to another host since the agent last heard: it will be gone from the assigned list.
                log.info("{}: not allowed to report {}: {}", host, compute, ControlPlaneNodes.errorOf(response));
                return false;
            case 400:
                // A status the server cannot take is this agent's bug: the other computes still converge.
                log.warn("{}: the status of {} was refused: {}", host, compute, ControlPlaneNodes.errorOf(response));
                return false;
            default:
                throw refused("reporting the status of " + compute, response);
        }
    }

    /**
     * Says the host is alive, to the leader. Only while the host's computes are followed: an agent
     * that cannot hear its assignments must not look alive to the control plane, which would then
     * leave its computes where they are while the agent runs a stale set.
     */
    @Override
    public void heartbeat(String host, Instant at, Map<String, ComputeMetrics> metrics) {
        requireOwnHost(host);
        inContact(() -> {
            assigned.current(FIRST_LIST_WAIT);
            HttpResponse<byte[]> response = call(ControlPlaneNodes.Route.LEADER, "POST",
                    "api/v1/hosts/" + encode(host) + "/heartbeat", json(new Heartbeat(at, metrics)));
            if (response.statusCode() != 200) {
                throw refused("heartbeating", response);
            }
        });
    }

    @Override
    public void requestUpscale(String compute, UpscaleRequest request) {
        inContact(() -> {
            HttpResponse<byte[]> response = call(ControlPlaneNodes.Route.LEADER, "POST",
                    "api/v1/computes/" + encode(compute) + "/upscale-request", json(request));
            if (response.statusCode() != 202 && response.statusCode() != 404) {
                throw refused("asking memory for " + compute, response);
            }
        });
    }

    private void inContact(Runnable call) {
        inContact(() -> {
            call.run();
            return null;
        });
    }

    /** Runs a call, saying once when calls stop getting through and once when they get through again. */
    private <T> T inContact(Supplier<T> call) {
        T result;
        try {
            result = call.get();
        } catch (UnreachableException e) {
            if (trouble.getAndSet(e.getMessage()) == null) {
                log.warn("{}: cannot reach the control plane: {}", host, e.getMessage());
            }
            throw e;
        }
        if (trouble.getAndSet(null) != null) {
            log.info("{}: in contact with the control plane again", host);
        }
        return result;
    }

    private HttpResponse<byte[]> call(ControlPlaneNodes.Route route, String method, String path, byte[] body) {
        return nodes.send(route, node -> HttpRequest.newBuilder(node.resolve(path))
                        .timeout(CALL_TIMEOUT)
                        .header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofByteArray(body)),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private static byte[] json(Object message) {
        try {
            return ResourceJson.mapper().writeValueAsBytes(message);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode " + message + ": " + e.getMessage(), e);
        }
    }

    private static UnreachableException refused(String what, HttpResponse<byte[]> response) {
        return new UnreachableException(what + ": " + response.uri() + " answered " + ControlPlaneNodes.errorOf(response));
    }

    private void requireOwnHost(String name) {
        if (!host.equals(name)) {
            throw new IllegalArgumentException("this link follows host " + host + ", not " + name);
        }
    }

    private static String encode(String name) {
        return URLEncoder.encode(name, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        assigned.close();
    }
}
