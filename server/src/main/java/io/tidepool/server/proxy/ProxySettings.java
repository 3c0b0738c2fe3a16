package io.tidepool.server.proxy;

import io.tidepool.proxy.Admission;
import java.nio.file.Path;
import java.util.Optional;

/**
 * How a control-plane node runs the endpoint proxy.
 *
 * @param bindHost       where the endpoints' ports listen
 * @param advertisedHost the host clients connect to, in each endpoint's {@code status.address}
 * @param ports          the ports endpoints are given
 * @param tlsCertificate with {@code tlsKey}: TLS for clients that ask for it (PEM files)
 */
public record ProxySettings(String bindHost, String advertisedHost, PortRange ports, Optional<Path> tlsCertificate,
                            Optional<Path> tlsKey, Admission.Bounds bounds, boolean splice) {
    public ProxySettings {
        if (tlsCertificate.isPresent() != tlsKey.isPresent()) {
            throw new IllegalArgumentException("TLS needs both a certificate file and a key file, got "
                    + (tlsCertificate.isPresent() ? "only a certificate" : "only a key"));
        }
    }

    public static ProxySettings of(String host, PortRange ports) {
        return new ProxySettings(host, host, ports, Optional.empty(), Optional.empty(), Admission.Bounds.DEFAULT, true);
    }

    public ProxySettings withTls(Optional<Path> certificate, Optional<Path> key) {
        return new ProxySettings(bindHost, advertisedHost, ports, certificate, key, bounds, splice);
    }

    public ProxySettings withBounds(Admission.Bounds newBounds) {
        return new ProxySettings(bindHost, advertisedHost, ports, tlsCertificate, tlsKey, newBounds, splice);
    }

    /** The proxy copies every byte itself, never handing a connection to the kernel (io.tidepool.proxy.KernelSplice). */
    public ProxySettings withoutSplice() {
        return new ProxySettings(bindHost, advertisedHost, ports, tlsCertificate, tlsKey, bounds, false);
    }

    /** The libpq URI of an endpoint served on {@code port}. */
    public String address(int port) {
        String host = advertisedHost.contains(":") ? "[" + advertisedHost + "]" : advertisedHost;
        return "postgresql://postgres@" + host + ":" + port + "/postgres";
    }
}
