package io.tidepool.manifests.cli;

import io.tidepool.manifests.apply.ApplyOptions;
import io.tidepool.manifests.apply.ApplyRequest;
import io.tidepool.manifests.apply.ApplyResponse.ObjectResult;
import io.tidepool.manifests.apply.PlanResponse;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "plan", description = {
        "Show what applying the manifests would change (as diff does) and what the fleet would then do about it:",
        "where new endpoints would be placed, whether each cell's capacity and buffer suffice, which hosts its",
        "provider would add, which restarts wait for which window. Changes nothing.",
        "Exit code: 0 it fits, 6 the manifests are valid but will not fit, 2 invalid manifests."})
public final class PlanCommand implements Callable<Integer> {
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
        ApplySetChoice choice = sets.choose(manifests.paths);
        ManifestUpload upload = new ManifestUpload();
        ManifestUpload.Read read = upload.read(manifests.paths, System.in);
        if (!read.errors().isEmpty()) {
            throw ManifestUpload.invalid(read.errors(), spec.commandLine().getErr());
        }
        ApplyOptions options = sets.options(choice, true, null);
        PlanResponse plan = client.connect().plan(new ApplyRequest(read.files(), options));
        if (!plan.changes().errors().isEmpty()) {
            throw ManifestUpload.invalid(plan.changes().errors(), spec.commandLine().getErr());
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(output.format == OutputFormat.table ? render(plan, output.palette())
                : output.format == OutputFormat.name ? ResponseOutput.render(plan.changes(), OutputFormat.name)
                : ResponseOutput.render(plan, output.format));
        out.flush();
        return plan.fits() ? ExitCode.OK : ExitCode.WONT_FIT;
    }

    static String render(PlanResponse plan, Palette palette) {
        StringBuilder out = new StringBuilder();
        boolean changes = false;
        for (ObjectResult result : plan.changes().results()) {
            if (!result.diff().isEmpty()) {
                out.append(palette.diff(result.diff()));
                changes = true;
            }
        }
        if (!changes) {
            out.append("No changes: the live objects already declare what the manifests do.\n");
        }
        out.append('\n').append(palette.bold("What the fleet would do")).append(" (store revision ")
                .append(plan.changes().revision()).append("):\n");
        if (plan.endpoints().isEmpty()) {
            out.append("  nothing for any endpoint\n");
        }
        for (PlanResponse.EndpointLine line : plan.endpoints()) {
            String text = "  Endpoint/" + line.endpoint() + ": " + line.explanation();
            out.append(line.fits() ? text : palette.red(text)).append('\n');
        }
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("CELL", "HOSTS", "CAPACITY", "ALLOCATED", "SPARE", "BUFFER", "NEW-HOSTS", "FITS"));
        for (PlanResponse.CellLine cell : plan.cells()) {
            rows.add(List.of(cell.cell(), Integer.toString(cell.hosts()), cell.capacity() + " CU",
                    cell.allocatedBefore() + " -> " + cell.allocatedAfter() + " CU", cell.spare() + " CU", cell.bufferTarget() + " CU",
                    Integer.toString(cell.provisioned()), cell.fits() ? "yes" : "no"));
        }
        if (!plan.cells().isEmpty()) {
            out.append('\n').append(ResourceTable.layout(rows));
            plan.cells().forEach(c -> out.append("  ").append(c.cell()).append(": ").append(c.explanation()).append('\n'));
        }
        out.append('\n').append(plan.fits() ? palette.green("It fits.")
                : palette.red("It will not fit: nothing was applied; apply would leave the endpoints marked above waiting for room."))
                .append('\n');
        return out.toString();
    }
}
