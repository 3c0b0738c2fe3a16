package io.tidepool.manifests.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "resume", description = {
        "Start a suspended endpoint again: placement gives it a compute, as a client's first connection would.",
        "An endpoint that is not suspended is refused (exit code 5)."})
public final class ResumeCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Parameters(index = "0", paramLabel = "ENDPOINT")
    String name;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        client.connect().resume(name)
                .orElseThrow(() -> new CliException(ExitCode.NOT_FOUND, "Endpoint/" + name + " not found"));
        PrintWriter out = spec.commandLine().getOut();
        out.println("Endpoint/" + name + " resuming: placement starts it again (watch with: tidepool get endpoint " + name + ")");
        out.flush();
        return ExitCode.OK;
    }
}
