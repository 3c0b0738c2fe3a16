package io.tidepool.proxy;

import io.tidepool.api.resource.Compute;
import io.tidepool.api.resource.Endpoint;
import java.net.URI;
import java.util.Optional;

/**
 * What the proxy needs to know of one endpoint to decide about a new connection, read from the
 * endpoint and its primary compute ({@code Endpoint.status.compute}).
 *
 * @param backend         where the primary's Postgres listens, when it runs one a client can reach
 * @param suspended       scaled to zero: a connection must ask for a resume
 * @param resumeRequested a resume was asked and placement has not started the compute yet
 * @param switching       the primary is fenced for the moment of a switchover
 * @param simulated       the primary is a simulated compute: nothing to connect to
 * @param failure         why the endpoint cannot serve, when it has failed; else null
 */
public record EndpointState(Optional<Backend> backend, boolean suspended, boolean resumeRequested, boolean switching,
                            boolean simulated, String failure) {

    /** A Postgres server's TCP address. */
    public record Backend(String host, int port) {
    }

    /** The state of {@code endpoint} whose primary is {@code primary} (null when it has none, or it is not known yet). */
    public static EndpointState of(Endpoint endpoint, Compute primary) {
        Endpoint.Status s = endpoint.status();
        Endpoint.Phase phase = s == null ? Endpoint.Phase.Pending : s.phase();
        if (phase == Endpoint.Phase.Suspended) {
            return new EndpointState(Optional.empty(), true, s.resumeRequestedAt() != null, false, false, null);
        }
        if (phase == Endpoint.Phase.Failed) {
            String why = s.conditions().stream().filter(c -> c.message() != null).map(c -> c.message()).findFirst()
                    .orElse("its compute failed");
            return new EndpointState(Optional.empty(), false, false, false, false, why);
        }
        if (primary == null || primary.status() == null) {
            return new EndpointState(Optional.empty(), false, false, false, false, null);
        }
        boolean fenced = primary.spec().role() == Compute.Role.fenced;
        Compute.Status observed = primary.status();
        boolean running = observed.phase() == Compute.Phase.Running && !fenced;
        String address = observed.address();
        boolean simulated = address != null && address.startsWith("sim://");
        Optional<Backend> backend = running ? backend(address) : Optional.empty();
        return new EndpointState(backend, false, false, fenced, simulated, null);
    }

    /** The TCP address of a {@code postgresql://} URI; empty for anything else. */
    static Optional<Backend> backend(String address) {
        if (address == null || !(address.startsWith("postgresql://") || address.startsWith("postgres://"))) {
            return Optional.empty();
        }
        try {
            URI uri = URI.create(address);
            if (uri.getHost() == null) {
                return Optional.empty();
            }
            return Optional.of(new Backend(uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
