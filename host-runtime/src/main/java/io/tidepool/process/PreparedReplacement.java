package io.tidepool.process;

import io.tidepool.agent.ComputeDriver;
import io.tidepool.api.quantity.Cu;
import io.tidepool.api.resource.Compute;
import io.tidepool.postgres.PostgresServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A replacement on the process driver, moved in by stop and start: while the endpoint's primary
 * runs, its postmaster holds the endpoint's data directory, so the replacement's Postgres cannot
 * start. It is prepared instead: its binaries are here and the endpoint's data is reachable from
 * this host (local hosts share one data root). Its Postgres starts, on that same directory and at
 * the port already reported, once the store promotes it, which is after the old primary stopped.
 *
 * <p>So for this driver a replacement that reports Running and warm is ready to take over, not
 * serving: nothing can be loaded ahead, and the endpoint is down from the primary's stop until
 * this one accepts queries. (The prewarmed move, with a streaming standby, is to come.)
 *
 * @param cu      the size it will start at
 * @param failure why it can never take over from this host; empty when it can
 */
record PreparedReplacement(Compute compute, PostgresServer server, Cu cu, Optional<String> failure) {

    /** Checks what this host has of the compute's endpoint; the files are only read. */
    static PreparedReplacement of(Compute compute, PostgresServer server) {
        PostgresServer.Config config = server.config();
        Optional<String> dataVersion;
        try {
            Path versionFile = config.dataDir().resolve("PG_VERSION");
            dataVersion = Files.isRegularFile(versionFile) ? Optional.of(Files.readString(versionFile).trim()) : Optional.empty();
        } catch (IOException e) {
            dataVersion = Optional.empty();
        }
        Optional<String> failure = refusal(compute.spec().endpoint(), config.dataDir(), config.binaries().version(),
                Files.isExecutable(config.binaries().postgres()), dataVersion);
        return new PreparedReplacement(compute, server, compute.spec().cu(), failure);
    }

    /**
     * Why a replacement running Postgres {@code version} cannot take over the endpoint's data at
     * {@code dataDir}, which holds a database of {@code dataVersion} (empty when there is none).
     */
    static Optional<String> refusal(String endpoint, Path dataDir, String version, boolean installed,
                                    Optional<String> dataVersion) {
        if (!installed) {
            return Optional.of("Postgres " + version + " is not installed here (looked in /usr/lib/postgresql/"
                    + version + "/bin and PATH)");
        }
        if (dataVersion.isEmpty()) {
            return Optional.of("the data of endpoint " + endpoint + " is not reachable from this host: " + dataDir
                    + " holds no database. A move by stop and start needs the hosts to share one data root");
        }
        if (!dataVersion.get().equals(version)) {
            return Optional.of("the data of endpoint " + endpoint + " is Postgres " + dataVersion.get()
                    + " and the replacement runs Postgres " + version + ": a stop and start does not upgrade data"
                    + " between major versions (pg_upgrade)");
        }
        return Optional.empty();
    }

    PreparedReplacement withCu(Cu newCu) {
        return new PreparedReplacement(compute, server, newCu, failure);
    }

    ComputeDriver.Observed observed() {
        if (failure.isPresent()) {
            return new ComputeDriver.Observed(Compute.Phase.Failed, cu, null, false, failure.get());
        }
        return new ComputeDriver.Observed(Compute.Phase.Running, cu, ProcessDriver.address(server), true);
    }
}
