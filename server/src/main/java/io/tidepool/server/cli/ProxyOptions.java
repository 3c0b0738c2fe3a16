package io.tidepool.server.cli;

import io.tidepool.proxy.Admission;
import io.tidepool.proxy.Forwarding;
import io.tidepool.server.proxy.PortRange;
import io.tidepool.server.proxy.ProxySettings;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** The endpoint proxy a control-plane node runs ({@code up} with real Postgres, {@code server --proxy-ports}). */
public final class ProxyOptions {
    @Option(names = "--proxy-ports", paramLabel = "FIRST-LAST",
            description = "Ports of the endpoint proxy: each endpoint gets one of its own, kept for as long as it exists "
                    + "(up, with real Postgres: 6500-6999 unless given; server: no proxy unless given)")
    String ports;

    @Option(names = "--proxy-host", paramLabel = "HOST",
            description = "With the proxy: the host clients reach it at, in endpoints' addresses (default: the bind address)")
    String advertisedHost;

    @Option(names = "--proxy-tls-cert", paramLabel = "FILE", description = "With the proxy: PEM certificate for clients' TLS")
    Path tlsCertificate;

    @Option(names = "--proxy-tls-key", paramLabel = "FILE", description = "With --proxy-tls-cert: its PEM (PKCS#8) key")
    Path tlsKey;

    @Option(names = "--proxy-forwarding", paramLabel = "steer|splice|copy",
            description = "With the proxy: how connections' bytes move. steer (default): new connections to an endpoint whose "
                    + "primary runs on this machine go straight to its Postgres, the rest are spliced; splice: the kernel moves "
                    + "a plain-text connection's bytes once its startup is done; copy: the proxy copies every byte. Each falls "
                    + "back to the next where the machine lacks what it needs (root, BPF sk_lookup, BPF sockmap)")
    String forwarding;

    private Forwarding forwarding(CommandLine commandLine) {
        if (forwarding == null) {
            return Forwarding.STEER;
        }
        try {
            return Forwarding.valueOf(forwarding.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(commandLine, "--proxy-forwarding: expected steer, splice or copy, got '"
                    + forwarding + "'");
        }
    }

    /**
     * The proxy's settings, listening on {@code bindHost}; empty when there is none.
     *
     * @param byDefault the ports when none are given, or empty for no proxy then
     */
    Optional<ProxySettings> settings(CommandLine commandLine, String bindHost, Optional<PortRange> byDefault) {
        Optional<PortRange> range;
        try {
            range = ports == null ? byDefault : Optional.of(PortRange.parse(ports));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(commandLine, "--proxy-ports: " + e.getMessage());
        }
        if (range.isEmpty()) {
            if (advertisedHost != null || tlsCertificate != null || tlsKey != null || forwarding != null) {
                throw new ParameterException(commandLine,
                        "--proxy-host, --proxy-tls-* and --proxy-forwarding need the proxy: give --proxy-ports");
            }
            return Optional.empty();
        }
        if ((tlsCertificate == null) != (tlsKey == null)) {
            throw new ParameterException(commandLine, "--proxy-tls-cert and --proxy-tls-key go together");
        }
        ProxySettings settings = new ProxySettings(bindHost, advertisedHost == null ? bindHost : advertisedHost,
                range.get(), Optional.ofNullable(tlsCertificate), Optional.ofNullable(tlsKey),
                Admission.Bounds.DEFAULT, forwarding(commandLine));
        return Optional.of(settings);
    }
}
