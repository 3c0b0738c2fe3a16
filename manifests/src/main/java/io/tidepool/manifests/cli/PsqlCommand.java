package io.tidepool.manifests.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "psql", description = {
        "Open psql on an endpoint (its connection-string); arguments after the endpoint go to psql,",
        "e.g. tidepool psql shop -- -c 'SELECT 1'. Exits with psql's exit code."})
public final class PsqlCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Parameters(index = "0", paramLabel = "ENDPOINT")
    String name;

    @Parameters(index = "1..*", paramLabel = "PSQL-ARG", description = "Passed to psql as they are")
    List<String> psqlArguments = new ArrayList<>();

    @Override
    public Integer call() throws InterruptedException {
        String address = ConnectionAddress.of(ConnectionStringCommand.endpoint(client, name));
        List<String> command = new ArrayList<>(List.of("psql", address));
        command.addAll(psqlArguments);
        try {
            return new ProcessBuilder(command).inheritIO().start().waitFor();
        } catch (IOException e) {
            throw new CliException(ExitCode.FAILED, "cannot run psql (install the PostgreSQL client, e.g. apt-get install "
                    + "postgresql-client): " + e.getMessage());
        }
    }
}
