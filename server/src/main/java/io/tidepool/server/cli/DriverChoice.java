package io.tidepool.server.cli;

import io.tidepool.manifests.cli.CliException;
import io.tidepool.manifests.cli.ExitCode;
import java.util.Optional;

/**
 * The driver {@code up}'s hosts run: the one asked for by name, or with {@code auto} the process
 * driver where this machine can run it and sim where it cannot.
 *
 * @param driver the driver chosen, never {@code auto}
 * @param auto   what auto saw here, to say why it chose as it did; empty when a driver was named
 */
record DriverChoice(UpCommand.Driver driver, Optional<String> auto) {
    DriverChoice {
        if (driver == UpCommand.Driver.auto) {
            throw new IllegalArgumentException("auto is a way to choose a driver, not a driver");
        }
    }

    /**
     * @param processUnavailable why the process driver cannot run on this machine, empty when it can
     * @throws CliException when the process driver was asked for by name and cannot run here
     */
    static DriverChoice of(UpCommand.Driver requested, Optional<String> processUnavailable) {
        if (requested == UpCommand.Driver.sim) {
            return new DriverChoice(UpCommand.Driver.sim, Optional.empty());
        }
        if (processUnavailable.isEmpty()) {
            return new DriverChoice(UpCommand.Driver.process, requested == UpCommand.Driver.auto
                    ? Optional.of("root, cgroups and Postgres are here") : Optional.empty());
        }
        if (requested == UpCommand.Driver.process) {
            throw new CliException(ExitCode.INVALID, "--driver process: " + processUnavailable.get() + "; or use --driver sim");
        }
        return new DriverChoice(UpCommand.Driver.sim, processUnavailable);
    }

    /** The driver as {@code up} announces it, such as {@code sim (auto: no Postgres 15 found; ...)}. */
    String label() {
        return driver + auto.map(seen -> " (auto: " + seen + ")").orElse("");
    }
}
