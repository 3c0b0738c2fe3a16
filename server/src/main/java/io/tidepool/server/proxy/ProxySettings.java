package io.tidepool.server.proxy;

import io.tidepool.proxy.Admission;
import io.tidepool.proxy.Forwarding;
import java.nio.file.Path;
import java.util.Optional;

/**
 * How a control-plane node runs the endpoint proxy.
 *
 * @param bindHost       where the endpoints' ports listen
 * @param advertisedHost the host clients connect to, in each endpoint's {@code status.address}
 * @param ports          the ports endpoints are given
 * @param tlsCertificate with {@code tlsKey}: TLS for clients that ask for it (PEM files)
 * @param forwarding     how connections' bytes move, where the machine allows
 */
public record ProxySettings(String bindHost, String advertisedHost, PortRange ports, Optional<Path> tlsCertificate,
                            Optional<Path> tlsKey, Admission.Bounds bounds, Forwarding forwarding) {
    public ProxySettings {
        if (tlsCertificate.isPresent() != tlsKey.isPresent()) {
            throw new IllegalArgumentException("TLS needs both a certificate file and a key file, got "
                    + (tlsCertificate.isPresent() ? "only a certificate" : "only a key"));
        }
    }

    public static ProxySettings of(String host, PortRange ports) {
        return new ProxySettings(host, host, ports, Optional.empty(), Optional.empty(), Admission.Bounds.DEFAULT, Forwarding.STEER);
    }

    public ProxySettings withTls(Optional<Path> certificate, Optional<Path> key) {
        return new ProxySettings(bindHost, advertisedHost, ports, certificate, key, bounds, forwarding);
    }

    public ProxySettings withBounds(Admission.Bounds newBounds) {
        return new ProxySettings(bindHost, advertisedHost, ports, tlsCertificate, tlsKey, newBounds, forwarding);
    }

    public ProxySettings withForwarding(Forwarding newForwarding) {
        return new ProxySettings(bindHost, advertisedHost, ports, tlsCertificate, tlsKey, bounds, newForwarding);
    }

    /** The libpq URI of an endpoint served on {@code port}. */
    public String address(int port) {
        String host = advertisedHost.contains(":") ? "[" + advertisedHost + "]" : advertisedHost;
        return "postgresql://postgres@" + host + ":" + port + "/postgres";
    }
}
