package io.tidepool.manifests.cli;

import io.tidepool.manifests.apply.ApplyResponse;
import io.tidepool.manifests.apply.ApplyResponse.ObjectResult;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "apply", description = {
        "Create or update every object that the manifests declare, all at once or not at all.",
        "Prints one line per object (created, configured or unchanged) and a totals line."})
public final class ApplyCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Mixin
    ManifestPaths manifests;

    @Option(names = "--dry-run", description = "Validate and show what would happen, change nothing")
    boolean dryRun;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        ApplyResponse response = new ManifestUpload().send(client.connect(), manifests.paths, System.in, dryRun,
                spec.commandLine().getErr());
        String suffix = dryRun ? " (dry run)" : "";
        for (ObjectResult result : response.results()) {
            out.println(result.ref() + " " + result.action() + suffix);
        }
        out.println(totals(response.results()) + suffix);
        out.flush();
        return ExitCode.OK;
    }

    static String totals(List<ObjectResult> results) {
        Map<String, Long> counts = results.stream()
                .collect(Collectors.groupingBy(ObjectResult::action, LinkedHashMap::new, Collectors.counting()));
        if (counts.isEmpty()) {
            return "no objects";
        }
        return List.of("created", "configured", "unchanged").stream()
                .filter(counts::containsKey)
                .map(action -> counts.get(action) + " " + action)
                .collect(Collectors.joining(", "));
    }
}
