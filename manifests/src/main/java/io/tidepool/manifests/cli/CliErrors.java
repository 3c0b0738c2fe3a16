package io.tidepool.manifests.cli;

import io.tidepool.manifests.client.ApiException;
import io.tidepool.manifests.source.ManifestReadException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/** Turns a verb's failure into one line on stderr and the matching {@link ExitCode}. */
public final class CliErrors implements IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception e, CommandLine command, ParseResult parseResult) {
        command.getErr().println("error: " + e.getMessage());
        command.getErr().flush();
        return exitCodeOf(e);
    }

    static int exitCodeOf(Exception e) {
        if (e instanceof CliException cli) {
            return cli.exitCode();
        }
        if (e instanceof ManifestReadException) {
            return ExitCode.INVALID;
        }
        if (e instanceof ApiException api) {
            if (api.unreachable() || api.status() == 503) {
                return ExitCode.UNAVAILABLE;
            }
            return switch (api.status()) {
                case 400, 413, 422 -> ExitCode.INVALID;
                case 404 -> ExitCode.NOT_FOUND;
                default -> ExitCode.FAILED;
            };
        }
        return ExitCode.FAILED;
    }
}
