package io.tidepool.manifests.cli;

import io.tidepool.manifests.apply.ApplyResponse;
import io.tidepool.manifests.apply.ApplyResponse.ObjectResult;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "diff", description = {
        "Show, as a unified diff, what applying the manifests would change (labels, annotations, spec; never status).",
        "Exit code: 0 nothing would change, 1 something would, 2 or more an error."})
public final class DiffCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Mixin
    ManifestPaths manifests;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        ApplyResponse response = new ManifestUpload().send(client.connect(), manifests.paths, System.in, true,
                spec.commandLine().getErr());
        boolean different = false;
        for (ObjectResult result : response.results()) {
            if (!result.action().equals("unchanged")) {
                out.print(result.diff());
                different = true;
            }
        }
        out.flush();
        return different ? ExitCode.DIFFERENT : ExitCode.OK;
    }
}
