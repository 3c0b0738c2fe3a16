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
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "apply", description = {
        "Create or update every object that the manifests declare, all at once or not at all.",
        "Prints one line per object (created, configured, unchanged, pruned or kept) and a totals line.",
        "The objects are recorded as one apply set (named after the path, or --set), so that --prune",
        "can later delete those the manifests no longer declare."})
public final class ApplyCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Mixin
    ManifestPaths manifests;

    @Mixin
    OutputOptions output;

    @Mixin
    SetOptions sets;

    @Option(names = "--dry-run", description = "Validate and show what would happen, change nothing")
    boolean dryRun;

    @Option(names = "--expect-revision", paramLabel = "N",
            description = "Refuse if any object of the set changed since store revision N (as diff printed it)")
    Long expectRevision;

    @Mixin
    ConvergenceWait.Options waiting;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        ApiClient api = client.connect();
        ApplySetChoice choice = sets.choose(manifests.paths);
        if (choice.name() != null) {
            choice.checkOwnership(api);
        }
        ApplyOptions options = sets.options(choice, dryRun, expectRevision);
        ApplyResponse response = new ManifestUpload().send(api, manifests.paths, System.in, options, spec.commandLine().getErr());
        if (output.format != OutputFormat.table) {
            out.print(ResponseOutput.render(response, output.format));
            out.flush();
        } else {
            printLines(out, response, output.palette());
        }
        if (waiting.wait && !dryRun) {
            return new ConvergenceWait(api, out, output.palette()).await(response, waiting.timeout);
        }
        return ExitCode.OK;
    }

    private static void printLines(PrintWriter out, ApplyResponse response, Palette palette) {
        String suffix = response.dryRun() ? " (dry run)" : "";
        for (ObjectResult result : response.results()) {
            out.println(result.ref() + " " + palette.action(result.action()) + suffix);
        }
        String set = response.set() == null ? "" : " (apply set " + response.set() + ")";
        out.println(ApplyResponse.totals(response.results()) + suffix + set);
        out.flush();
    }
}
