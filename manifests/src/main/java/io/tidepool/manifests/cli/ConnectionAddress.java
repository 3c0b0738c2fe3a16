package io.tidepool.manifests.cli;

import io.tidepool.api.resource.Endpoint;

/**
 * The libpq URI of an endpoint, as {@code connection-string} prints it and {@code psql} uses it:
 * its {@code status.address}, the endpoint proxy's stable address where a proxy serves it. Pure.
 */
final class ConnectionAddress {
    private ConnectionAddress() {
    }

    /** The endpoint's URI; a {@link CliException} saying why when it has none a client can use. */
    static String of(Endpoint endpoint) {
        Endpoint.Status status = endpoint.status();
        String address = status == null ? null : status.address();
        if (address == null) {
            String phase = status == null || status.phase() == null ? "Pending" : status.phase().name();
            throw new CliException(ExitCode.FAILED, endpoint.ref() + " has no address yet (phase " + phase
                    + "): it gets one once it is placed");
        }
        if (!(address.startsWith("postgresql://") || address.startsWith("postgres://"))) {
            throw new CliException(ExitCode.FAILED, endpoint.ref() + " runs on a simulated compute (" + address
                    + "): there is no Postgres to connect to");
        }
        return address;
    }
}
