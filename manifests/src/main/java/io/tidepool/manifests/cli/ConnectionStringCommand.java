package io.tidepool.manifests.cli;

import io.tidepool.api.resource.Endpoint;
import io.tidepool.api.resource.Kind;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "connection-string", description = {
        "Print the libpq URI of an endpoint, which psql, pgbench and libpq drivers take.",
        "Where the endpoint proxy serves it, the address stays the same across moves, restarts and suspends,",
        "and a connection to a suspended endpoint wakes it."})
public final class ConnectionStringCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Parameters(index = "0", paramLabel = "ENDPOINT")
    String name;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getOut().println(ConnectionAddress.of(endpoint(client, name)));
        spec.commandLine().getOut().flush();
        return ExitCode.OK;
    }

    static Endpoint endpoint(ClientOptions client, String name) {
        return (Endpoint) client.connect().get(Kind.ENDPOINT, name)
                .orElseThrow(() -> new CliException(ExitCode.NOT_FOUND, "Endpoint/" + name + " not found"));
    }
}
