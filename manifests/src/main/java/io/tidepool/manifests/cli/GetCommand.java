package io.tidepool.manifests.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tidepool.api.codec.ManifestCodec;
import io.tidepool.api.codec.ResourceJson;
import io.tidepool.api.resource.Kind;
import io.tidepool.api.resource.Resource;
import io.tidepool.manifests.client.ApiClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "get", description = {
        "List the objects of a kind, or show one.",
        "KIND is singular or plural: cell(s), host(s), endpoint(s), compute(s), migration(s), event(s).",
        "In JSON a list is {\"items\": [...]} and one object is the object itself."})
public final class GetCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Parameters(index = "0", paramLabel = "KIND")
    String kindName;

    @Parameters(index = "1", arity = "0..1", paramLabel = "NAME")
    String name;

    @Mixin
    OutputOptions output;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Kind kind = KindArgument.parse(kindName);
        ApiClient api = client.connect();
        List<Resource> resources = name == null ? api.list(kind)
                : List.of(api.get(kind, name).orElseThrow(() ->
                        new CliException(ExitCode.NOT_FOUND, kind.displayName() + "/" + name + " not found")));
        PrintWriter out = spec.commandLine().getOut();
        out.print(render(kind, resources, name == null, api));
        out.flush();
        return ExitCode.OK;
    }

    private String render(Kind kind, List<Resource> resources, boolean asList, ApiClient api) {
        return switch (output.format) {
            case table -> kind == Kind.APPLY_SET ? ResourceTable.renderApplySets(resources, set -> driftOf(api, set))
                    : ResourceTable.render(kind, resources);
            case yaml -> resources.isEmpty() ? "" : new ManifestCodec().toYaml(resources);
            case json -> json(resources, asList);
            case name -> resources.stream().map(r -> r.ref() + "\n").reduce("", String::concat);
        };
    }

    /** {@code 0}, {@code 2 (Endpoint/shop changed, ...)}: what differs from what the set applied. */
    private static String driftOf(ApiClient api, String set) {
        return api.drift(set).map(report -> report.drifted().isEmpty() ? "0"
                : report.drifted().size() + " (" + report.drifted().stream().limit(3)
                        .map(d -> d.ref() + " " + d.reason()).reduce((a, b) -> a + ", " + b).orElse("")
                        + (report.drifted().size() > 3 ? ", ..." : "") + ")").orElse("-");
    }

    private static String json(List<Resource> resources, boolean asList) {
        ObjectMapper mapper = ResourceJson.mapper();
        try {
            if (!asList) {
                return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(tree(mapper, resources.get(0))) + "\n";
            }
            ObjectNode root = mapper.createObjectNode();
            ArrayNode items = root.putArray("items");
            for (Resource resource : resources) {
                items.add(tree(mapper, resource));
            }
            return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode tree(ObjectMapper mapper, Resource resource) throws IOException {
        return (ObjectNode) mapper.readTree(ResourceJson.encode(resource));
    }
}
