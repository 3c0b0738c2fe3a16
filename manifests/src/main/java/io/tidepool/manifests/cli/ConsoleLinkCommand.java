package io.tidepool.manifests.cli;

import io.tidepool.manifests.client.ApiClient;
import io.tidepool.manifests.client.ConsoleLink;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "console-link", description = {
        "Make a one-time link that logs a browser in to the web console (admins only).",
        "Prints the link alone on stdout. It works once, on any node of the cluster, for 10 minutes;",
        "the browser that opens it stays logged in for 12 hours."})
public final class ConsoleLinkCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        ApiClient api = client.connect();
        ConsoleLink link = api.createConsoleLink();
        String server = api.server().toString();
        spec.commandLine().getOut().println(server.substring(0, server.length() - 1) + link.path());
        spec.commandLine().getOut().flush();
        spec.commandLine().getErr().println("One-time console login link: it works once, until " + link.expiresAt()
                + "; another node's URL with the same path works too.");
        spec.commandLine().getErr().flush();
        return ExitCode.OK;
    }
}
