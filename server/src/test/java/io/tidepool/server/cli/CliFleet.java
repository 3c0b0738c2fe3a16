package io.tidepool.server.cli;

import io.tidepool.server.Cli;
import io.tidepool.server.LocalFleet;
import io.tidepool.sim.workload.Idle;
import io.tidepool.store.Await;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What the CLI tests run against: a control plane with one idle local host on the sim driver, the
 * CLI pointed at it, and an empty directory of manifests named as a test's apply set would be.
 */
record CliFleet(LocalFleet fleet, Cli cli, Path manifests) implements AutoCloseable {

    static CliFleet start(Path tmp, String manifestsDir) throws IOException {
        LocalFleet fleet = LocalFleet.start(tmp.resolve("data"), 1, endpoint -> Idle.TYPICAL);
        try {
            return new CliFleet(fleet, new Cli(fleet.url(), fleet.plane().adminToken()),
                    Files.createDirectories(tmp.resolve(manifestsDir)));
        } catch (IOException | RuntimeException e) {
            fleet.close();
            throw e;
        }
    }

    /** Waits until the host is ready: placement, and a plan, count only ready hosts. */
    void awaitHostReady() {
        Await.until(Duration.ofSeconds(30), "local-host-1 ready", () -> fleet.get("/api/v1/hosts/local-host-1").statusCode() == 200
                && fleet.getJson("/api/v1/hosts/local-host-1").at("/status/ready").asBoolean());
    }

    @Override
    public void close() {
        fleet.close();
    }
}
