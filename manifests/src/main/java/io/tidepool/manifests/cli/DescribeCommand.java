package io.tidepool.manifests.cli;

import io.tidepool.api.resource.Kind;
import io.tidepool.manifests.describe.Description;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "describe", description = {
        "Show one object in detail: its spec and status, conditions, the computes that belong to it,",
        "the autoscaler's latest decisions with their explanations, and events."})
public final class DescribeCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Parameters(index = "0", paramLabel = "KIND")
    String kindName;

    @Parameters(index = "1", paramLabel = "NAME")
    String name;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Kind kind = KindArgument.parse(kindName);
        Description description = client.connect().describe(kind, name)
                .orElseThrow(() -> new CliException(ExitCode.NOT_FOUND, kind.displayName() + "/" + name + " not found"));
        PrintWriter out = spec.commandLine().getOut();
        out.print(DescriptionText.render(description, Instant.now()));
        out.flush();
        return ExitCode.OK;
    }
}
