package io.tidepool.manifests.cli;

import io.tidepool.api.resource.Kind;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "delete", description = "Delete one object.")
public final class DeleteCommand implements Callable<Integer> {
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
        String ref = kind.displayName() + "/" + name;
        client.connect().delete(kind, name)
                .orElseThrow(() -> new CliException(ExitCode.NOT_FOUND, ref + " not found"));
        PrintWriter out = spec.commandLine().getOut();
        out.println(ref + " deleted");
        out.flush();
        return ExitCode.OK;
    }
}
