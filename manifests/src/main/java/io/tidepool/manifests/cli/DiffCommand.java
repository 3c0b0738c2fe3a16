package io.tidepool.manifests.cli;

import io.tidepool.manifests.apply.ApplyOptions;
import io.tidepool.manifests.apply.ApplyResponse;
import io.tidepool.manifests.apply.ApplyResponse.ObjectResult;
import io.tidepool.manifests.client.ApiClient;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "diff", description = {
        "Show, as a unified diff, what applying the manifests would change (labels, annotations, spec; never status),",
        "and the store revision it compared with (for apply --expect-revision).",
        "Exit code: 0 nothing would change, 1 something would, 2 or more an error."})
public final class DiffCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Mixin
    ManifestPaths manifests;

    @Mixin
    OutputOptions output;

    @Mixin
    SetOptions sets;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        ApiClient api = client.connect();
        ApplySetChoice choice = sets.choose(manifests.paths);
        ApplyOptions options = sets.options(choice, true, null);
        ApplyResponse response = new ManifestUpload().send(api, manifests.paths, System.in, options, spec.commandLine().getErr());
        boolean different = response.results().stream().anyMatch(r -> !r.action().equals("unchanged") && !r.action().equals("kept"));
        if (output.format != OutputFormat.table) {
            out.print(ResponseOutput.render(response, output.format));
        } else {
            Palette palette = output.palette();
            for (ObjectResult result : response.results()) {
                out.print(palette.diff(result.diff()));
            }
            // On stderr: stdout stays a patch, empty when nothing would change.
            PrintWriter err = spec.commandLine().getErr();
            err.println("compared with the live objects at store revision " + response.revision() + ": apply --expect-revision "
                    + response.revision() + " applies only if none of them changed since");
            err.flush();
        }
        out.flush();
        return different ? ExitCode.DIFFERENT : ExitCode.OK;
    }
}
